"""The public API: every name in `gip_author.__all__` is there, the type checkers' list matches the lazy one,
and importing the package (as `gip-author --help` does) loads none of the heavy libraries."""
import ast
import subprocess
import sys
from pathlib import Path

import gip_author


def test_every_public_name_resolves_to_its_module():
    assert gip_author.load.__module__ == "gip_author.loader"
    assert gip_author.check.__module__ == "gip_author.rules"
    assert gip_author.Report.__module__ == "gip_author.model"
    assert gip_author.import_report.__module__ == "gip_author.readers"
    assert gip_author.render_pdf.__module__ == "gip_author.render.pdf"
    assert all(getattr(gip_author, name) is not None for name in gip_author.__all__)


def test_the_names_type_checkers_see_are_the_lazy_ones():
    tree = ast.parse(Path(gip_author.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {(node.module, a.name) for node in block.body for a in node.names}
    assert seen == {(module, name) for name, module in gip_author._LAZY.items()}
    eager = {"CannotRead", "GipError", "InvalidReport", "Location", "Problem", "__version__"}
    assert sorted(gip_author.__all__) == sorted(eager | set(gip_author._LAZY))


def test_importing_the_package_loads_no_heavy_library():
    code = ("import sys, gip_author, gip_author.cli; "
            "print(sorted(m for m in ('pydantic', 'yaml', 'jinja2', 'weasyprint', 'docx', 'lxml', 'pypdfium2') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
