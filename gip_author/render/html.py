"""Report -> one self-contained HTML page (inline CSS, no scripts but two JSON data blocks, nothing loaded).

The Jinja templates and CSS live in the top-level `templates/` folder, shipped as `gip_author.templates`
and read through importlib.resources.  An agency's own copies (`--templates DIR`) are rendered in a
sandboxed environment; any file they lack falls back to the package's.  Autoescape is always on, so a
`<script>` in the YAML prints as text.  The PDF renderer prints this same page (`target="pdf"`).
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2

from ..version import __version__
from ..dates import source_date_epoch
from ..model import Report
from ..text_guard import printable
from . import layout
from .linebreak import report_title_lines, signature_indents
from .template_sandbox import Sandbox, TemplateProblem
from .template_sandbox import render as render_sandboxed

TEMPLATE = "report.html.j2"


def _package_template(name: str):
    """Jinja FunctionLoader source: a file of gip_author.templates, or None if there is no such file."""
    resource = files("gip_author.templates") / name
    if "/" in name or "\\" in name or name.startswith(".") or not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), None, lambda: True


def environment(templates_dir: str | os.PathLike | None = None) -> jinja2.Environment:
    """The package's templates; with `templates_dir`, the agency's copies first, sandboxed."""
    if templates_dir is None:
        return _package_environment()
    return Sandbox(templates_dir)


@lru_cache(maxsize=1)
def _package_environment() -> jinja2.Environment:
    """The package's templates, compiled once per process (they cannot change under us)."""
    return jinja2.Environment(loader=jinja2.FunctionLoader(_package_template), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=printable)


def warm_up() -> None:
    """Compile the package's templates ahead of a render."""
    _package_environment().get_template(TEMPLATE)


def created() -> str | None:
    """The build time for PDF metadata: SOURCE_DATE_EPOCH when set (reproducible builds), else none."""
    epoch = source_date_epoch()
    return epoch.strftime("%Y-%m-%dT%H:%M:%SZ") if epoch else None


def document(report: Report, draft: bool = False) -> dict:
    """What the templates print: plain values only (the sandbox sees nothing of the Report object)."""
    return {
        "title": report.display_title,
        "title_lines": report_title_lines(report),
        "agency": report.agency,
        "year": report.year,
        "intro": layout.intro(report),
        "sections": layout.sections(report),
        "date": layout.cn_date(report.published) if report.published else "",
        "signature_right": signature_indents(report.agency,
                                             layout.cn_date(report.published) if report.published else ""),
        "draft": draft,
        "generator": f"gip-author {__version__}",
        "created": None,
    }


def render_html(report: Report, draft: bool = False, templates_dir: str | os.PathLike | None = None,
                target: str = "html", pdf_context: dict | None = None, data: bool = True) -> str:
    """The report as an HTML5 page; same report -> same bytes.

    `target="pdf"` adds the print-only CSS (shipped fonts) from `pdf_context` and the PDF dates.  A web page
    (`data`, not for the PDF) ends with the report's own data in two JSON blocks (embedded.py).
    """
    doc = document(report, draft)
    context = {"doc": doc, "pdf": target == "pdf", "fonts": [], "stacks": {}}
    if target == "pdf":
        from . import grid
        doc["created"] = created()
        grid.set_document(doc)
        context.update(pdf_context or {})
        context["grid"] = grid.context(len(doc["title_lines"]))
    if templates_dir is not None:  # an agency's own templates: sandboxed, bounded, every error located
        page = render_sandboxed(templates_dir, TEMPLATE, context)
    else:
        page = _package_page(context)
    if target != "html" or not data:
        return page
    from ..embedded import into_html, payload
    return into_html(page, payload(report))


def _package_page(context: dict) -> str:
    try:
        return _package_environment().get_template(TEMPLATE).render(context)
    except jinja2.TemplateNotFound as e:
        raise TemplateProblem(f"找不到软件自带的模板文件 {e.name}，请重新安装 gip-author。") from None
    except jinja2.TemplateSyntaxError as e:
        where = Path(e.filename or e.name or TEMPLATE).name
        raise TemplateProblem(f"模板 {where} 第 {e.lineno} 行有语法错误：{e.message}。"
                              "请对照软件自带的模板修改，或去掉 --templates 使用默认模板。") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError) as e:
        raise TemplateProblem(f"模板无法生成报告：{e}。请检查模板中引用的名称（可用的是 doc.title、doc.sections 等），"
                              "或去掉 --templates 使用默认模板。") from None
