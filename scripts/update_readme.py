"""Regenerate README.md's rule reference from the code: .venv/bin/python scripts/update_readme.py"""
from pathlib import Path
import re
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gip_author.rules import catalogue  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"


def with_rules(text: str) -> str:
    block = "<!-- rules:start -->\n" + catalogue("markdown") + "<!-- rules:end -->"
    return re.sub(r"<!-- rules:start -->.*?<!-- rules:end -->", lambda m: block, text, flags=re.S)


if __name__ == "__main__":
    README.write_text(with_rules(README.read_text(encoding="utf-8")), encoding="utf-8")
