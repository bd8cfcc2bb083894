"""The `gip-author` command: each command parses its arguments, calls one library function and prints.

Exit codes: 0 done (warnings allowed), 1 the report has errors (or warnings with --strict), 2 the file cannot
be read or the command was misused.  Messages are Chinese by default (`--lang en` for English).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .cli_guard import Failure, GuardedGroup
from .problems import GipError, tally

# The command uses no pydantic plugin; looking them up reads every installed package's metadata (~3 ms of each
# run).  A user who wants plugins sets the variable.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

SEVERITY = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "error", "warning": "warning"}}


def _fail(e: GipError) -> Failure:
    return Failure(str(e), e.exit_code)


def _open(path: str):
    from .readers import open_report
    try:
        return open_report(path)
    except GipError as e:
        raise _fail(e) from None


def format_problem(p, lang: str = "zh") -> str:
    loc = f"{p.location}: " if p.location else ""
    sev = SEVERITY[lang][p.severity]
    return f"{loc}{sev} [{p.rule}] {p.message(lang)}"


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gip-author")
def main() -> None:
    """政府信息公开工作年度报告：填写、检查、生成（DOCX/PDF/HTML）、导入与批量审核。

    Write, check and publish government information disclosure annual reports.
    """


@main.command()
@click.option("--agency", help="机关名称，如：某某区卫生健康局")
@click.option("--year", type=click.IntRange(2000, 2100), help="报告年度，如：2024（用 --from 时默认为上年 + 1）")
@click.option("--kind", type=click.Choice(["部门", "人民政府"]), default=None, help="机关类型（默认：部门）")
@click.option("--from", "last", type=click.Path(), help="从上一年度的报告（YAML 或已发布的 PDF/DOCX/HTML）开始")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（默认：机关名称+年度.yaml）")
@click.option("--force", is_flag=True, help="已有同名文件时覆盖")
def init(agency: str | None, year: int | None, kind: str | None, last: str | None, output: str | None,
         force: bool) -> None:
    """生成一份完整的、带注释的报告模板（YAML）。Write a blank, commented report template."""
    from .output import Refused, write_atomic
    from .safe_names import safe_stem
    from .schema import json_schema_text
    from .text_guard import agency_refusal
    from .yaml_writer import init_yaml
    kinds = {"人民政府": "government", "部门": "department"}
    if last:
        from .rollforward import rollforward_yaml
        previous = _open(last)
        if agency:
            previous.agency = agency
        if kind:
            previous.kind = kinds[kind]
        year = year or previous.year + 1
        agency = previous.agency
        text = rollforward_yaml(previous, year, Path(last).name)
    elif agency is None or not year:
        raise Failure("请给出 --agency 机关名称 和 --year 年度；或用 --from 上年报告文件 从上年的报告开始。", 2)
    if agency_refusal(agency):
        raise Failure(agency_refusal(agency), 2)
    if not last:
        text = init_yaml(agency, year, kinds[kind or "部门"])
    # the default name stays in this folder whatever the agency holds ("../", "/", controls, 300 characters)
    path = Path(output or f"{safe_stem(agency)}{year}年政府信息公开工作年度报告.yaml")
    if path.exists() and not force:
        raise Failure(f"{path} 已存在，为免覆盖已填写的内容，未写入。请换一个文件名（-o），或加 --force 覆盖。", 2)
    try:
        write_atomic(path, text, protect=(Path(last),) if last else ())
    except Refused as e:
        raise Failure(str(e), 2) from None
    schema = path.parent / "gip-author.schema.json"
    if not schema.exists():
        write_atomic(schema, json_schema_text())
    click.echo(f"已生成 {path}。填写后运行：gip-author check {path}")


@main.command()
def schema() -> None:
    """输出报告 YAML 的 JSON Schema（供编辑器补全和校验）。Print the JSON Schema of the YAML."""
    from .schema import json_schema_text
    click.echo(json_schema_text(), nl=False)


@main.command()
@click.argument("file", type=click.Path())
@click.option("--previous", type=click.Path(), help="上一年度的报告（YAML 或已发布文件），用于跨年度核对")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--strict", is_flag=True, help="有警告也按失败处理（退出码 1）")
@click.option("--children", type=click.Path(exists=True), multiple=True,
              help="所属单位报告所在文件夹：范围为“本级及所属单位”时，逐格核对是否等于各单位之和")
@click.option("--roster", type=click.Path(dir_okay=False, exists=True), help="应报送单位名单（与 --children 同用）")
def check(file: str, previous: str | None, fmt: str, lang: str, strict: bool, children: tuple[str, ...],
          roster: str | None) -> None:
    """检查报告：表格算术、格式要求、文字与表格是否一致。Validate a report."""
    from .readers import open_report
    from .rules import check as run_checks
    try:
        report = open_report(file)
        last = open_report(previous) if previous else None
    except GipError as e:
        if fmt != "json":
            raise _fail(e) from None
        # The file could not be read as a report: the same document, with what stopped the reading.
        doc = {"file": file, "agency": None, "year": None, "errors": max(1, len(e.problems)), "warnings": 0,
               "problems": [p.to_dict() for p in e.problems], "message": str(e)}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        sys.exit(e.exit_code)
    problems = run_checks(report, last)
    if children:
        from .children import compare_children
        from .roster import read_roster
        try:
            problems += compare_children(report, [Path(c) for c in children],
                                         read_roster(Path(roster)) if roster else None)
        except GipError as e:
            raise _fail(e) from None
    errors, warnings = tally(problems)
    if fmt == "json":
        doc = {"file": file, "agency": report.agency, "year": report.year, "errors": errors,
               "warnings": warnings, "problems": [p.to_dict() for p in problems]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(format_problem(p, lang))
        if lang == "en":
            click.echo(f"{file}: {errors} error(s), {warnings} warning(s).")
        elif problems:
            click.echo(f"{file}：{errors} 个错误，{warnings} 个警告。")
        else:
            click.echo(f"{file}：检查通过，未发现问题。")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def rules(fmt: str, lang: str) -> None:
    """列出全部检查规则。List every rule: id, severity, what it checks."""
    from .rules import catalogue
    click.echo(catalogue(fmt, lang), nl=False)


@main.command()
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（默认打印到屏幕）")
def export(file: str, fmt: str, output: str | None) -> None:
    """导出表格全部 200 个数（规范单元格编号）。Export every cell by canonical id."""
    from .export import cells_csv, cells_json
    from .output import Refused, write_atomic
    report = _open(file)
    text = cells_json(report) if fmt == "json" else cells_csv(report)
    if output:
        try:
            write_atomic(output, text, protect=(Path(file),))
        except Refused as e:
            raise Failure(str(e), 2) from None
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("file", type=click.Path())
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=".", show_default=True, help="输出文件夹")
@click.option("--format", "formats", default="docx,pdf,html", show_default=True, help="输出格式，逗号分隔")
@click.option("--draft", is_flag=True, help="有错误也生成，并在每页加“草稿”水印")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True),
              help="使用本机关自己的模板文件夹（如带红头）")
@click.option("--no-data", is_flag=True, help="不在文件中附带报告数据（PDF 附件、网页数据块、Word 数据部分）")
def build(file: str, outdir: str, formats: str, draft: bool, templates_dir: str | None, no_data: bool) -> None:
    """生成 DOCX、PDF、HTML 文件。Render the report to DOCX, PDF and HTML."""
    import gc
    gc.disable()    # one report, then the process ends: no cycle collections (-10 % CPU; the PDF worker inherits it)
    from .pdf_worker import PdfWorker
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    # WeasyPrint warms up on the other core while the model is imported and the YAML read and checked
    worker = PdfWorker.start() if "pdf" in wanted and len(wanted) > 1 else None
    from .build import BuildRefused, build_report
    from .rules import check as run_checks
    try:
        report = _open(file)
        problems = run_checks(report)          # once: it refuses a report with errors and lists the warnings after
    except BaseException:
        if worker:
            worker.cancel()
        raise
    try:
        written = build_report(report, Path(outdir), wanted, draft=draft, templates_dir=templates_dir, data=not no_data,
                               protect=(Path(file),), worker=worker, problems=problems)
    except BuildRefused as e:
        for p in e.problems:
            click.echo(format_problem(p), err=True)
        raise Failure(str(e), 1) from None
    except GipError as e:
        raise _fail(e) from None
    for path in written:
        click.echo(f"已生成 {path}")
    _report_after_build(file, draft, problems)


def _report_after_build(file: str, draft: bool, problems: list, shown: int = 5) -> None:
    """After a build: how many warnings (and the first few) and, for a draft, how many errors remain."""
    errors, _ = tally(problems)
    warnings = [p for p in problems if p.severity == "warning"]
    if warnings:
        click.echo(f"注意：报告有 {len(warnings)} 个警告（不影响生成，发布前请逐条核对）：", err=True)
        for p in warnings[:shown]:
            click.echo("  " + format_problem(p), err=True)
        if len(warnings) > shown:
            click.echo(f"  ……其余 {len(warnings) - shown} 个警告请运行 gip-author check {file} 查看。", err=True)
    if draft and errors:
        click.echo(f"这是草稿（每页带“草稿”水印）：报告还有 {errors} 个错误，正式发布前请运行 gip-author check {file} 并改正。",
                   err=True)


@main.command()
@click.argument("file", type=click.Path())
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="端口（默认：自动选一个空闲端口）")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器（只显示地址）")
def edit(file: str, port: int, no_browser: bool) -> None:
    """在本机浏览器里按官方表格填写报告，边填边检查，保存回 YAML。Edit a report in a local web page."""
    from .editor.server import serve
    if Path(file).suffix.lower() not in (".yaml", ".yml"):
        raise Failure(f"{file}：只能编辑 YAML 报告文件。已发布的 PDF/Word/网页请先用 gip-author import 转成 YAML。", 2)
    try:
        serve(file, port, open_browser=not no_browser)
    except GipError as e:
        raise _fail(e) from None
    except OSError as e:
        raise Failure(f"无法在端口 {port} 上启动（{e.strerror}）。请换一个端口（--port），或不写 --port 自动选择。", 2) \
            from None


@main.command("import")
@click.argument("file", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出的 YAML 文件（默认：原文件名.yaml）")
@click.option("--force", is_flag=True, help="已有同名文件时覆盖")
def import_(file: str, output: str | None, force: bool) -> None:
    """把已发布的报告（PDF、DOCX、HTML、文本）转成可编辑的 YAML。Import a published report."""
    from .readers import import_report
    from .output import Refused, write_atomic
    from .yaml_writer import report_yaml
    try:
        report, notes = import_report(file)
    except GipError as e:
        raise _fail(e) from None
    path = Path(output or Path(file).with_suffix(".yaml"))
    if path.exists() and not force and path.resolve() != Path(file).resolve():
        raise Failure(f"{path} 已存在，未覆盖。请用 -o 指定另一个文件名，或加 --force。", 2)
    try:
        write_atomic(path, report_yaml(report), protect=(Path(file),))
    except Refused as e:
        raise Failure(str(e), 2) from None
    for p in notes:
        click.echo(format_problem(p), err=True)
    click.echo(f"已导入 {file} → {path}（{len(notes)} 处需要人工核对）")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--previous-dir", type=click.Path(file_okay=False, exists=True), help="上一年度报告所在文件夹")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="summary.csv", show_default=True,
              help="汇总表：.csv、.json 或 .html")
@click.option("-j", "--jobs", type=int, default=0, help="并行进程数（默认：全部 CPU 核）")
def audit(paths: tuple[str, ...], previous_dir: str | None, output: str, jobs: int) -> None:
    """批量审核多份已发布报告，汇总全部数字。Audit many reports and sum their figures."""
    from .audit import audit_paths
    from .summary import summary_writer, write_summary

    def progress(length: int, label: str):
        return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)

    try:
        summary_writer(Path(output))  # refuse an unknown suffix before a long run
        rows = audit_paths([Path(p) for p in paths], Path(previous_dir) if previous_dir else None,
                           jobs=jobs or None, progress=progress)
        path = write_summary(rows, Path(output))
    except GipError as e:
        raise _fail(e) from None
    bad = sum(1 for r in rows if r.get("error"))
    with_errors = sum(1 for r in rows if r.get("errors"))
    click.echo(f"已审核 {len(rows)} 份报告：{with_errors} 份有错误，{bad} 份无法读取。汇总表：{path}")


def _progress(length: int, label: str):
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--agency", required=True, help="汇总报告的机关名称，如：某某区人民政府")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="报告年度，如：2024")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的汇总报告（YAML）")
@click.option("--roster", type=click.Path(dir_okay=False, exists=True),
              help="应报送单位名单：一行一个单位，或带“名称”列的 CSV/YAML")
@click.option("--summary", "summary_out", type=click.Path(dir_okay=False), help="各单位汇总表：.csv、.json 或 .html")
@click.option("--skip-errors", is_flag=True, help="有错误的单位报告不计入合计（默认计入并列出）")
@click.option("--force", is_flag=True, help="已有同名输出文件时覆盖")
@click.option("-j", "--jobs", type=int, default=0, help="并行进程数（默认：全部 CPU 核）")
def rollup(inputs, agency, year, output, roster, summary_out, skip_errors, force, jobs) -> None:
    """把所属单位的报告汇总成本级政府的报告（表二至表四逐格相加）。Sum units' reports into one."""
    from .output import Refused, write_atomic
    from .rollup import collect, exit_code, messages, require_units, rollup_yaml
    from .roster import read_roster
    from .summary import summary_writer, write_summary
    out = Path(output)
    if out.exists() and not force:
        raise Failure(f"{out} 已存在，为免覆盖已填写的文字，未写入。请用 -o 换一个文件名，或加 --force 覆盖。", 2)
    try:
        if summary_out:
            summary_writer(Path(summary_out))
        names = read_roster(Path(roster)) if roster else None
        found = collect([Path(p) for p in inputs], agency.strip(), year, names, skip_errors, ignore=(out,),
                        jobs=jobs or None,
                        progress=_progress if sys.stderr.isatty() else None)
        require_units(found)
        write_atomic(out, rollup_yaml(found), protect=tuple(Path(r["file"]) for r in found.rows if r["file"]))
        if summary_out:
            write_summary(found.rows, Path(summary_out))
    except GipError as e:
        raise _fail(e) from None
    except Refused as e:
        raise Failure(str(e), 2) from None
    for line in messages(found):
        click.echo(line)
    tail = f"，汇总表：{summary_out}" if summary_out else ""
    click.echo(f"已汇总 {len(found.counted)} 个单位的报告 → {out}{tail}。"
               + ("合计不完整，见文件开头的说明。" if found.missing else "")
               + f"填写各部分文字后运行：gip-author check {out}")
    sys.exit(exit_code(found))
