#!/usr/bin/env bash
# Set up gip-author on a fresh Debian/Ubuntu machine with Python >= 3.11: the system libraries WeasyPrint needs
# (Pango, and HarfBuzz's subsetter without which every PDF takes seconds), then a virtualenv `.venv` with the
# project and its test tools.  Safe to run again: it only installs what is missing.
# With --test it also installs the real readers some tests open the outputs with: LibreOffice (a DOCX saved by
# another program keeps its data) and the W3C Nu HTML checker (Java, from the npm registry, into .venv/vnu).
set -euo pipefail
cd "$(dirname "$0")/.."
test_readers=false
[ "${1:-}" = "--test" ] && test_readers=true

# tesseract-ocr + its Chinese model: reading scanned PDFs offline (`import` of a PDF whose pages are pictures).
# chromium: the browser the tests of `gip-author edit` drive (Playwright uses the system's, never downloads one).
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils tesseract-ocr tesseract-ocr-chi-sim
              chromium)
if $test_readers; then                     # a reader already on PATH (from elsewhere) is used as it is
  command -v soffice >/dev/null || apt_packages+=(libreoffice-writer-nogui)
  command -v java >/dev/null || apt_packages+=(default-jre-headless)
  command -v npm >/dev/null || apt_packages+=(npm)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "正在安装系统组件：${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新版本" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,ocr]"
# Bytecode for the package, as a plain `pip install` would make: pip does not compile an editable install, and where
# PYTHONDONTWRITEBYTECODE is set every `gip-author` run would compile ~40 modules again (~15 ms of each `check`).
.venv/bin/python -m compileall -q gip_author >/dev/null
if $test_readers && [ ! -f .venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  npm install --silent --no-audit --no-fund --prefix .venv/vnu vnu-jar >/dev/null
fi
echo "安装完成。gip-author 在 .venv/bin/ 中；要直接输入 gip-author，请先运行：source .venv/bin/activate" >&2
