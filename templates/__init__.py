"""Jinja templates and CSS of the rendered report, shipped as the package gip_author.templates."""
