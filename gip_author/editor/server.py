"""The local web server of `gip-author edit`: 127.0.0.1 only, a random token in every path, the Host checked.

No other web page (a foreign Host or Origin, no token) and no other user on the machine (no token) can read or
write the report.  Every response forbids caching and framing by others; the page may run only its own inline
script (a per-page nonce) and talk only to this server.
"""
from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from ..problems import GipError
from .session import Conflict, Session

MAX_BODY = 4 * 2**20   # the page's values are ~20 KB; anything this large is not from the page


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:   # the address and Ctrl-C are all the clerk needs to see
        pass


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")


def _refuse(status: int, message: str) -> Response:
    return Response(message, status, mimetype="text/plain")


class EditorApp:
    def __init__(self, session: Session, token: str, port: int, outdir: Path):
        self.session, self.token, self.port, self.outdir = session, token, port, outdir
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.build_lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ, populate_request=False)
        response = self.dispatch(request)
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.host not in self.hosts:
            return _refuse(403, "拒绝访问：只接受本机地址 127.0.0.1 的请求。")
        prefix = f"/{self.token}/"
        path = request.path
        if not secrets.compare_digest(path[: len(prefix)].encode(), prefix.encode()):
            return _refuse(403, "拒绝访问：地址中缺少或写错了访问口令。请使用 gip-author edit 显示的完整地址。")
        route = path[len(prefix):]
        if request.method == "GET":
            if route == "":
                return self.page()
            if route == "preview":
                return self.preview()
            return _refuse(404, "没有这个页面。")
        if request.method != "POST":
            return _refuse(405, "不支持的请求。")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.origins:
            return _refuse(403, "拒绝访问：请求来自其他网页。")
        if (request.content_length or 0) > MAX_BODY or request.mimetype != "application/json":
            return _refuse(400, "请求格式不对。")
        try:
            body = json.loads(request.get_data(cache=False) or b"{}")
            values = {str(k): str(v) for k, v in dict(body.get("values", {})).items()}
        except (ValueError, TypeError, AttributeError):
            return _refuse(400, "请求格式不对。")
        if route == "api/check":
            return _json(self.session.check(values))
        if route == "api/save":
            return self.save(values)
        if route == "api/build":
            return self.build(values)
        return _refuse(404, "没有这个接口。")

    def page(self) -> Response:
        from .page import render_page
        try:
            self.session.reload()   # a reload of the page reads the file anew
        except GipError as e:
            return _refuse(409, f"{e}\n请用文本编辑器改正后重新打开本页。")
        nonce = secrets.token_urlsafe(16)
        html = render_page(self.session, nonce)
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return response

    def preview(self) -> Response:
        from ..render.html import render_html
        from ..rules import check
        with self.session.lock:
            report = self.session.draft
        errors = any(p.severity == "error" for p in check(report))
        response = Response(render_html(report, draft=errors), mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "frame-ancestors 'self'")
        return response

    def save(self, values: dict[str, str]) -> Response:
        try:
            return _json(self.session.save(values))
        except Conflict as e:
            return _json({"error": str(e)}, 409)
        except GipError as e:
            return _json({"error": f"没有保存：{e}"}, 422)
        except OSError as e:
            return _json({"error": f"没有保存：无法写入文件（{e.strerror}）。"}, 500)

    def build(self, values: dict[str, str]) -> Response:
        """Save, then build DOCX, PDF and HTML from the saved file (a draft while errors remain)."""
        saved = self.save(values)
        if saved.status_code != 200:
            return saved
        from ..build import build_report
        from ..rules import check
        with self.build_lock:
            report = self.session.report
            problems = check(report)
            errors = sum(p.severity == "error" for p in problems)
            try:
                written = build_report(report, self.outdir, ["docx", "pdf", "html"], draft=errors > 0,
                                       protect=(self.session.path,), problems=problems)
            except (GipError, OSError) as e:
                return _json({"error": f"生成失败：{e}"}, 500)
        return _json({"files": [str(p) for p in written], "draft": errors > 0, "errors": errors})


def serve(path: str | Path, port: int = 0, open_browser: bool = True, say=None) -> None:
    """Serve the editor for `path` until Ctrl-C.  Raises GipError if the file cannot be read."""
    if say is None:
        import click
        say = click.echo
    session = Session(path)
    token = secrets.token_urlsafe(24)
    outdir = session.path.parent / "发布"
    holder: dict = {}

    def app(environ, start_response):
        return holder["app"](environ, start_response)

    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_Quiet)
    holder["app"] = EditorApp(session, token, server.server_port, outdir)
    url = f"http://127.0.0.1:{server.server_port}/{token}/"
    say(url)
    say(f"正在编辑 {session.path}。请在浏览器中打开上面的地址（只有本机、知道这个地址的人能打开）；"
        "按 Ctrl-C 结束。", err=True)
    if open_browser:
        import webbrowser
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)    # also when started in the background, where SIGINT is ignored
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    say("已结束编辑。", err=True)
