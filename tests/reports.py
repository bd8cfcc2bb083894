"""Reports the renderer tests share: the samples, and one report whose 200 cells all differ."""
from decimal import Decimal
from pathlib import Path

from gip_author import cells as C
from gip_author.loader import loads
from gip_author.yaml_writer import init_yaml

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "sample_inputs").glob("*.yaml"))


def distinct_report():
    """A report whose 200 cells all differ (1000, 1001, …; the 万元 amount 12.34) and whose text is known."""
    report = loads(init_yaml("某某区卫生健康局", 2024))
    for i, cell_id in enumerate(C.CELL_IDS):
        report.cells[cell_id] = Decimal("12.34") if cell_id == "t2.fees" else 1000 + i
    report.intro = "本年报由某某区卫生健康局编制。"
    g = report.general
    g.overview = "2024年，我局认真贯彻条例。\n全面推进政务公开。"
    g.proactive = "2024年度我局公布政府信息207条。"
    g.on_request = "收到政府信息公开申请1件。"
    g.management = "（一）加强源头管理。严格执行“三审三校”制度。"
    g.platform = "持续加强网站建设。"
    g.oversight = "加强组织领导。"
    report.disclosure = "本年度制发规范性文件3件。"
    report.requests = "申请<script>alert(1)</script>均已办结。"
    report.improvements = "（一）存在的问题\n一是公开内容不够全面。\n（二）改进措施。2025年，我局将加强培训。"
    report.other = "本年度未发出信息处理费收费通知，未收取信息处理费。"
    return report
