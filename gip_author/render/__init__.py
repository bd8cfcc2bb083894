"""Renderers: Report -> HTML / PDF / DOCX.  Each module is imported only when its format is asked for."""
