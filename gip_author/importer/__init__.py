"""Published report (PDF, DOCX, HTML, text) -> Report."""
