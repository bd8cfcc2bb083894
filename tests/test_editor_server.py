"""The editor's web server without a browser: who may ask, what it answers, and the build button's files."""
import json
from pathlib import Path

from werkzeug.test import Client

from gip_author.editor.server import EditorApp
from gip_author.editor.session import Session
from gip_author.yaml_writer import init_yaml

from reports import SAMPLES

TOKEN, PORT = "t" * 32, 8123
HOST = {"Host": f"127.0.0.1:{PORT}"}


def client(tmp_path, text: str):
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return Client(EditorApp(Session(path), TOKEN, PORT, tmp_path / "发布")), path


def post(c, route: str, values: dict, **headers):
    return c.post(f"/{TOKEN}/{route}", data=json.dumps({"values": values}), headers={**HOST, **headers},
                  content_type="application/json")


def test_the_page_is_the_official_form_and_locked_down(tmp_path):
    c, _ = client(tmp_path, SAMPLES[0].read_text(encoding="utf-8"))
    page = c.get(f"/{TOKEN}/", headers=HOST)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="t3.new.natural"' in html and 'name="t4.review.upheld"' in html
    assert html.count('<input name="t') == 200 and "保存" in html and "（七）总计" in html
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp and "unsafe-inline" not in csp
    assert "http://" not in html and "https://" not in html   # nothing from elsewhere: works offline
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert c.get("/", headers=HOST).status_code == 403
    assert c.get(f"/{'u' * 32}/", headers=HOST).status_code == 403
    assert c.get(f"/{TOKEN}/", headers={"Host": f"evil.example:{PORT}"}).status_code == 403
    assert post(c, "api/save", {}, Origin="http://evil.example").status_code == 403
    assert c.post(f"/{TOKEN}/api/check", data="x", headers=HOST, content_type="text/plain").status_code == 400


def test_check_preview_and_build(tmp_path):
    c, path = client(tmp_path, init_yaml("测试区卫生健康局", 2024))
    res = post(c, "api/check", {"t4.review.upheld": "2"}).get_json()
    assert [(p["rule"], p["field"]) for p in res["problems"] if p["severity"] == "error"] == \
        [("t4.total", "t4.review.total")]
    preview = c.get(f"/{TOKEN}/preview", headers=HOST).get_data(as_text=True)
    assert "测试区卫生健康局2024年政府信息公开工作年度报告" in preview and "草稿" in preview
    built = post(c, "api/build", {"t4.review.upheld": "2", "t4.review.total": "2", "t2.licensing": "17"}).get_json()
    assert built["draft"] is False and len(built["files"]) == 3
    html = next(Path(f) for f in built["files"] if f.endswith(".html"))
    assert html.parent == tmp_path / "发布" and ">17</td>" in html.read_text(encoding="utf-8")
    assert "行政许可: 17" in path.read_text(encoding="utf-8")   # 生成文件 saves first


def test_a_changed_file_is_refused_with_409(tmp_path):
    c, path = client(tmp_path, init_yaml("测试区卫生健康局", 2024))
    path.write_text(path.read_text(encoding="utf-8") + "\n# 别人加的\n", encoding="utf-8")
    r = post(c, "api/save", {"t2.licensing": "3"})
    assert r.status_code == 409 and "修改过" in r.get_json()["error"]
    assert path.read_text(encoding="utf-8").endswith("# 别人加的\n")


def test_edit_refuses_what_it_cannot_edit(tmp_path):
    from click.testing import CliRunner

    from gip_author.cli import main
    missing = CliRunner().invoke(main, ["edit", str(tmp_path / "nope.yaml"), "--no-browser"])
    assert missing.exit_code == 2 and "找不到" in missing.output
    pdf = CliRunner().invoke(main, ["edit", str(tmp_path / "report.pdf"), "--no-browser"])
    assert pdf.exit_code == 2 and "gip-author import" in pdf.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("机关: 测试局\n年度：2024\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["edit", str(broken), "--no-browser"])
    assert bad.exit_code == 1 and "中文冒号" in bad.output and "Traceback" not in bad.output
