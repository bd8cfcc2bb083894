"""Fonts shipped for the PDF (subsets of free stand-ins for the 公文 fonts) with their licences; see fonts.json."""
