"""Published report (PDF, DOCX, HTML, plain text or Markdown) -> Report, and what could not be recovered.

Every format is first cut into the same blocks (`blocks.py`: paragraphs and tables in reading order) by
its reader (`text.py`, `html.py`, `docx.py`, `pdf.py`); one parser (`parse.py`, with `tables.py` for
Tables 2–4) turns blocks into a Report.  The notes (`notes.py`: cells it could not read, parts it could
not find, guesses, an outdated template) are returned and also kept in `report.load_problems`, so
`gip-author check FILE.pdf` reports them with the rest.  The entry point is `gip_author.readers.import_report`
(its `READERS` table says which reader takes which kind of file).
"""
