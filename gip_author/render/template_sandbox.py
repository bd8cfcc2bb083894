"""An agency's own templates (`build --templates DIR`), rendered in a real sandbox.

- Files: only regular files inside DIR (symlinks followed, and refused when they lead out of it), at most
  `TEMPLATE_BYTES` each; a name the folder lacks falls back to the package's template of that name.  The
  package's templates are also reachable as "gip-author/NAME", and a template that extends its own name
  (`{% extends 'report.html.j2' %}` in DIR/report.html.j2) extends the package's: the natural way to add a 红头.
- Code: Jinja's ImmutableSandboxedEnvironment (no attribute tricks, no mutating the data), and bounds on
  what a line of template can make: string and list repetition, concatenation, `%`/format widths, huge
  arguments to functions and filters, `range` steps over the whole render, the page's size, the time
  (`limits.TEMPLATE_*`) and, as a backstop, the memory the render may take.
- Errors: every one a `TemplateProblem` naming the template file and line, in Chinese.
"""
from __future__ import annotations

import functools
import math
import os
import re
import stat
import traceback
from importlib.resources import files

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import limits as L
from ..os_messages import reason
from ..problems import GipError
from ..text_guard import printable

BUILTIN = "gip-author/"
MAX_ARGUMENT = 10**6          # an int argument to a function or filter (widths, counts) past this is refused
_WIDE = re.compile(r"(?:%|\{[^{}]*:)[-+ #0<>^=,_.]*\d{6,}")   # a %- or {}-format width of a million or more


class TemplateProblem(GipError):
    """An agency's template could not be read or rendered."""


class _Refused(Exception):
    """A bound of the sandbox was hit (turned into a TemplateProblem with the template's line)."""


# ------------------------------------------------------------------------------------------------ files


class FolderLoader(jinja2.BaseLoader):
    """Regular files inside one folder; a symlink is followed only while it stays inside."""

    def __init__(self, folder: str | os.PathLike):
        self.root = os.path.realpath(folder)

    def get_source(self, environment, name: str):
        if name.startswith(BUILTIN):
            raise jinja2.TemplateNotFound(name)
        path = os.path.join(self.root, *split_template_path(name))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(name)
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.root]) != self.root:
            raise TemplateProblem(f"模板文件夹中的 {name} 指向文件夹以外的 {real}，出于安全不会读取。"
                                  "请把要用的文件复制到模板文件夹里。")
        try:
            info = os.stat(real)
            if not stat.S_ISREG(info.st_mode):
                raise TemplateProblem(f"模板文件夹中的 {name} 不是普通文件，不会读取。")
            if info.st_size > L.TEMPLATE_BYTES:
                raise TemplateProblem(f"模板 {name} 超过 {L.TEMPLATE_BYTES // L.MB} MB，不像模板文件，未读取。")
            with open(real, "rb") as f:
                source = f.read(L.TEMPLATE_BYTES + 1).decode("utf-8")
        except OSError as e:
            raise TemplateProblem(f"无法读取模板 {name}（{reason(e)}）。") from None
        except UnicodeDecodeError:
            raise TemplateProblem(f"模板 {name} 不是 UTF-8 编码。请用记事本“另存为”UTF-8 后再用。") from None
        return source, path, lambda: False


def _package_source(name: str):
    resource = files("gip_author.templates") / name
    if "/" in name or "\\" in name or name.startswith(".") or not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), BUILTIN + name, lambda: True


# ------------------------------------------------------------------------------------------------ code


class _Generator(CodeGenerator):
    def visit_Concat(self, node, frame) -> None:     # `a ~ b`: the result's size is checked
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


def _size(value) -> int | None:
    """A string's length, or a list's weighted so that a list hits its bound at TEMPLATE_LOOP_STEPS items."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) * (L.TEMPLATE_OUTPUT_CHARS // L.TEMPLATE_LOOP_STEPS)
    return None


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment an agency's templates run in (see the module docstring)."""

    code_generator_class = _Generator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, folder):
        package = jinja2.FunctionLoader(_package_source)
        loader = jinja2.ChoiceLoader([FolderLoader(folder), jinja2.PrefixLoader({BUILTIN[:-1]: package}), package])
        super().__init__(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                         keep_trailing_newline=True, finalize=printable)
        self.steps = 0
        self.globals["range"] = self.range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def join_path(self, template: str, parent: str) -> str:
        # a template extending (or including) its own name means the package's template of that name
        return BUILTIN + template if template == parent else template

    def bounded(self, value):
        if len(value) > L.TEMPLATE_OUTPUT_CHARS:
            raise _Refused(f"拼接出的文字超过 {L.TEMPLATE_OUTPUT_CHARS:,} 个字符")
        return value

    def range(self, *args):
        r = range(*args)
        self.steps += len(r)
        if self.steps > L.TEMPLATE_LOOP_STEPS:
            raise _Refused(f"range() 循环次数合计超过 {L.TEMPLATE_LOOP_STEPS:,} 次")
        return r

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                and right * math.log2(abs(left)) > 4096:
            raise _Refused(f"{left} ** {right} 的结果太大")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _size(seq) is not None and isinstance(n, int) and _size(seq) * n > L.TEMPLATE_OUTPUT_CHARS \
                        and not isinstance(n, bool):
                    raise _Refused(f"重复 {n:,} 次会产生超过 {L.TEMPLATE_OUTPUT_CHARS:,} 个字符或元素")
        if operator == "+" and _size(left) is not None and _size(right) is not None \
                and _size(left) + _size(right) > L.TEMPLATE_OUTPUT_CHARS:
            raise _Refused(f"拼接出的内容超过 {L.TEMPLATE_OUTPUT_CHARS:,} 个字符或元素")
        if operator == "%" and isinstance(left, str) and _WIDE.search(left):
            raise _Refused("格式宽度过大")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _check_arguments(args, kwargs)
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)   # str.format comes wrapped
        if isinstance(owner, str) and _WIDE.search(owner):
            raise _Refused("格式宽度过大")
        return super().call(__context, __obj, *args, **kwargs)


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise _Refused(f"参数 {value:,} 太大（上限 {MAX_ARGUMENT:,}）")
        if isinstance(value, str) and _WIDE.search(value):
            raise _Refused("格式宽度过大")


def _bounded_filter(f):
    @functools.wraps(f)          # keeps Jinja's pass_context/pass_environment marks
    def bounded(*args, **kwargs):
        _check_arguments(args, kwargs)
        return f(*args, **kwargs)
    return bounded


# ------------------------------------------------------------------------------------------------ render


def render(folder, name: str, context: dict) -> str:
    """Render template `name` of `folder` (package templates as fallback) within every bound."""
    try:
        env = Sandbox(folder)
        with L.deadline(L.TEMPLATE_SECONDS), _memory_cap():
            out, size = [], 0
            for chunk in env.get_template(name).generate(context):
                size += len(chunk)
                if size > L.TEMPLATE_OUTPUT_CHARS:
                    raise _Refused(f"生成的网页超过 {L.TEMPLATE_OUTPUT_CHARS:,} 个字符")
                out.append(chunk)
            return "".join(out)
    except TemplateProblem:
        raise
    except jinja2.TemplateNotFound as e:
        raise TemplateProblem(f"找不到模板文件 {e.name}（模板文件夹：{folder}）。") from None
    except jinja2.TemplateSyntaxError as e:
        where = (e.filename or e.name or name).removeprefix(BUILTIN)
        raise TemplateProblem(f"模板 {os.path.basename(where)} 第 {e.lineno} 行有语法错误：{_syntax_zh(e.message)}。"
                              "请对照软件自带的模板修改，或去掉 --templates 使用默认模板。") from None
    except L.TimeUp as e:
        raise TemplateProblem(f"{_at(e, line=False)}模板运行超过 {L.TEMPLATE_SECONDS} 秒仍未完成，已停止。"
                              "请检查模板中的循环。") from None
    except _Refused as e:
        raise TemplateProblem(f"{_at(e)}模板中的运算被拦下：{e}。模板只用于排版，请去掉这类运算。") from None
    except MemoryError as e:
        raise TemplateProblem(f"{_at(e)}模板占用内存过多，已停止。请检查模板中的循环和运算。") from None
    except RecursionError as e:
        raise TemplateProblem(f"{_at(e)}模板嵌套过深（可能是模板互相继承、包含，或宏自己调用自己）。") from None
    except jinja2.exceptions.SecurityError as e:
        raise TemplateProblem(f"{_at(e)}模板无法生成报告：访问了不允许的内部属性（{e}），出于安全已拦下。"
                              "模板只能使用 doc.title、doc.sections 等数据。") from None
    except jinja2.UndefinedError as e:
        missing = re.search(r"has no attribute '([^']*)'|'([^']*)' is undefined", str(e))
        what = f"引用了不存在的名称“{missing[1] or missing[2]}”" if missing else str(e)
        raise TemplateProblem(f"{_at(e)}模板无法生成报告：{what}。请检查模板中引用的名称（可用的是 doc.title、"
                              "doc.sections 等），或去掉 --templates 使用默认模板。") from None
    except Exception as e:  # noqa: BLE001 - whatever a template's expression raises
        raise TemplateProblem(f"{_at(e)}模板出错：{type(e).__name__}: {str(e)[:200]}。"
                              "请对照软件自带的模板修改，或去掉 --templates 使用默认模板。") from None


_SYNTAX = (
    (re.compile(r"Unexpected end of template.*?'(end\w+)'", re.S), "模板在这里结束了，但还缺少 {{% {0} %}}"),
    (re.compile(r"Encountered unknown tag '([^']*)'"), "不认识的标记“{0}”（是不是拼错了，如 endfor、endif？）"),
    (re.compile(r"unexpected '([^']*)'"), "这里的“{0}”不成对或位置不对（{{{{ }}}} 和 {{% %}} 都要成对）"),
    (re.compile(r"Expected an expression"), "{{% %}} 或 {{{{ }}}} 里缺少内容"),
    (re.compile(r"expected token '([^']*)', got '([^']*)'"), "“{1}”处写法有误"),
)


def _syntax_zh(message: str) -> str:
    """Jinja's syntax message in Chinese for the common slips (the original kept in brackets)."""
    for pattern, zh in _SYNTAX:
        m = pattern.search(message or "")
        if m:
            return f"{zh.format(*m.groups())}（{message.rstrip('.')}）"
    return message


def _at(e: BaseException, line: bool = True) -> str:
    """"模板 report.html.j2 第 3 行：" for the innermost template line in the error's traceback (Jinja
    maps its frames to template lines), else ""."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if not f.filename.endswith(".py") and not f.filename.startswith("<")]
    if not frames:
        return ""
    f = frames[-1]
    name = os.path.basename(f.filename.removeprefix(BUILTIN))
    return f"模板 {name} 第 {f.lineno} 行：" if line else f"模板 {name}："


class _memory_cap:
    """Cap this process's address space at what it uses now + 1 GB while a template renders (Linux)."""

    def __enter__(self):
        self.old = None
        try:
            import resource
            with open("/proc/self/statm") as f:
                used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            self.old = resource.getrlimit(resource.RLIMIT_AS)
            soft = used + 1024 * L.MB
            if self.old[1] == resource.RLIM_INFINITY or soft < self.old[1]:
                resource.setrlimit(resource.RLIMIT_AS, (soft, self.old[1]))
            else:
                self.old = None
        except (ImportError, OSError, ValueError):
            self.old = None
        return self

    def __exit__(self, *exc):
        if self.old is not None:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, self.old)
        return False
