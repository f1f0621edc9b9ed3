#!/usr/bin/env bash
# Set up a fresh Debian machine for paiban: fonts and PDF tools from apt, Python packages from pip.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-noto-cjk fonts-lxgw-wenkai fonts-hanazono fonts-babelstone-han fonts-urw-base35
              poppler-utils qpdf ghostscript chromium)   # chromium: the digital edition's browser tests
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if ! $PY -m pip --version >/dev/null 2>&1; then   # Debian's own python3 comes without pip
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi
if ! $PY -c "import layout, reportlab, fontTools, yaml, PIL, uharfbuzz, jsonschema, pikepdf, pytest, hypothesis, pdfplumber, numpy, playwright, watchfiles, pypdfium2, babel, docx, simplejpeg, pagefind, jieba, pyphen" 2>/dev/null \
   || ! command -v paiban >/dev/null; then
  echo "setup: pip install -e .[test]"
  # Debian's system Python refuses pip installs (PEP 668) unless told: the project's own
  # packages go to the user's site then, and `paiban` to ~/.local/bin (put it on PATH)
  $PY -m pip install -q --disable-pip-version-check -e ".[test]" 2>/tmp/paiban-pip.err \
    || { grep -q externally-managed /tmp/paiban-pip.err \
         && $PY -m pip install -q --disable-pip-version-check --break-system-packages -e ".[test]"; } \
    || { cat /tmp/paiban-pip.err >&2; exit 1; }
  export PATH="$HOME/.local/bin:$PATH"
fi
echo "setup: ready"; paiban --version
