"""What stands between the user and a traceback: the `gip-author` command group's own error handling.

- The package's errors (`GipError`: cannot read, cannot write, refused…) become their message and exit code.
- click's usage errors (a missing argument, an unknown option, a bad value) are said in Chinese, with the
  usage line and where to find help (exit 2).
- Ctrl-C ends with "已中断" (exit 130); a closed pipe (`| head`) ends quietly.
- stdout/stderr never raise UnicodeEncodeError: on a GBK console an emoji becomes "?".
- Anything unforeseen is one line naming it (exit 2); GIP_AUTHOR_DEBUG=1 shows the traceback instead.
"""
from __future__ import annotations

import errno
import os
import re
import sys

import click

from .problems import GipError


class Failure(click.ClickException):
    """A message for the user and an exit code; never a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def safe_streams() -> None:
    """Make stdout and stderr replace what their encoding cannot show instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if getattr(stream, "errors", "strict") == "strict":
                stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass


class GuardedGroup(click.Group):
    """A click group whose commands end with a message and an exit code, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        safe_streams()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except click.UsageError as e:
            if type(e).__name__ == "NoArgsIsHelpError":   # `gip-author` alone: the help, as click shows it
                e.show()
                code = e.exit_code
            else:
                click.echo(usage_message(e), err=True)
                code = 2
        except click.ClickException as e:
            e.show()
            code = e.exit_code
        except click.Abort:
            click.echo("已中断。", err=True)
            code = 130
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            code = 1
        sys.exit(code)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GipError as e:
            raise Failure(str(e), e.exit_code) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except OSError as e:
            if e.errno == errno.EPIPE or os.environ.get("GIP_AUTHOR_DEBUG"):
                raise
            from .os_messages import reason
            raise Failure(f"无法完成：{e.filename or ''} {reason(e)}。请检查文件和文件夹是否存在、"
                          "是否有读写权限。", 2) from None
        except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("GIP_AUTHOR_DEBUG"):
                raise
            raise Failure(f"程序内部错误（{type(e).__name__}: {str(e)[:200]}）。请把所用的命令和文件发给维护人员；"
                          "设置环境变量 GIP_AUTHOR_DEBUG=1 可看到详细信息。", 2) from None


def usage_message(e: click.UsageError) -> str:
    """A usage error in Chinese, with the usage line and the help command."""
    lines = [f"错误：{_usage_zh(e)}"]
    ctx = e.ctx
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
        lines.append(f"用法：{ctx.command_path} {pieces}")
        lines.append(f"查看说明：{ctx.command_path} --help")
    return "\n".join(lines)


def _name(param) -> str:
    if param is None:
        return "参数"
    if isinstance(param, click.Option):
        return f"选项 {'/'.join(param.opts)}"
    return f"参数 {param.human_readable_name}"


#: click's English detail -> Chinese; the patterns are compiled on first use (re's cache), off the --help path.
_DETAILS = (
    (r"'(.*)' is not a valid integer", "“{0}”不是整数"),
    (r"'?(.*?)'? is not in the range (.*)\.", "{0} 超出范围（{1}）"),
    (r"'(.*)' is not one of (.*)\.", "“{0}”不是可选的值，可选：{1}"),
    (r"'(.*)' is not (.*)\.", "“{0}”不是可选的值，应为 {1}"),
    (r"(?:File|Directory|Path) '(.*)' does not exist", "“{0}”不存在"),
    (r"(?:File|Directory|Path) '(.*)' is a directory", "“{0}”是文件夹，这里要的是文件"),
    (r"(?:File|Directory|Path) '(.*)' is a file", "“{0}”是文件，这里要的是文件夹"),
    (r"(?:File|Directory|Path) '(.*)' is not readable", "“{0}”无法读取（没有权限）"),
)


def _detail(message: str) -> str:
    for pattern, zh in _DETAILS:
        m = re.search(pattern, message)
        if m:
            return zh.format(*m.groups())
    return message


def _usage_zh(e: click.UsageError) -> str:
    message = e.format_message() if not isinstance(e, click.BadParameter) else e.message
    if isinstance(e, click.NoSuchOption):
        guess = f"是不是 {'、'.join(e.possibilities)}？" if e.possibilities else ""
        return f"没有选项“{e.option_name}”。{guess}"
    if isinstance(e, click.BadOptionUsage):
        if "requires an argument" in message:
            return f"选项 {e.option_name} 后面要写一个值。"
        return f"选项 {e.option_name} 用法不对（{message}）。"
    if isinstance(e, click.MissingParameter):
        return f"缺少{_name(e.param)}。"
    if isinstance(e, click.BadParameter):
        return f"{_name(e.param)} 的值不对：{_detail(message)}。"
    m = re.match(r"No such command '([^']*)'", message)
    if m:
        group = e.ctx.command if e.ctx else None
        known = "、".join(sorted(getattr(group, "commands", {}))) if group else ""
        guess = re.search(r"Did you mean (?:one of: )?(.*)\?", message)
        hint = f"是不是 {guess[1].replace(chr(39), '')}？" if guess else ""
        return f"没有命令“{m[1]}”。{hint}可用的命令：{known}。"
    m = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if m:
        return f"多余的参数：{m[1]}。"
    if message.startswith("Missing command"):
        return "缺少命令，如 gip-author check 文件.yaml。"
    return message
