"""`gip-author edit FILE`: the report in a local web page, checked as it is typed, saved back to the YAML.

fields (what the page edits) -> patch (values into the clerk's text) -> session (check, save) -> page, server.
"""
