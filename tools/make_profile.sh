#!/bin/sh
# Regenerate layout/data/newsprint-tr002.icc, paiban's default press profile:
# a CMYK output profile for coldset newsprint built with ArgyllCMS from the
# CGATS TR 002 characterisation data shipped in Debian's icc-profiles-free.
# Needs: apt-get install argyll icc-profiles-free.  See docs/print-colour.md.
set -eu

TI3=${TI3:-/usr/share/color/icc/TR002.ti3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT="$HERE/layout/data/newsprint-tr002.icc"

[ -r "$TI3" ] || { echo "missing $TI3 (apt-get install icc-profiles-free)" >&2; exit 1; }
command -v colprof >/dev/null || { echo "missing colprof (apt-get install argyll)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# colprof reads BASE.ti3 and writes BASE.icc next to it.
cp "$TI3" "$WORK/TR002.ti3"

# -qm   medium quality (the A2B/B2A tables; high adds size, not accuracy for 928 patches)
# -kr   ramp black generation (Argyll default): K starts early, good grey balance on newsprint
# -l240 total ink limit 240 % (ISO 12647-3 coldset maximum)
# -L95  black ink limit 95 %: black point then maps to about 238 % total ink
# -Zm   media attribute matte (newsprint), -Zr default intent relative colorimetric
( cd "$WORK" && colprof -qm -kr -l240 -L95 -Zm -Zr \
    -D "paiban newsprint (CGATS TR 002, TAC 240%)" \
    -C "Derived from ANSI CGATS/SNAP TR 002-2007 characterization data (NPES); no further permission needed" \
    -A "paiban" -M "coldset newsprint" \
    TR002 >/dev/null )

cp "$WORK/TR002.icc" "$OUT"
echo "wrote $OUT"
# Report black's total ink (relative colorimetric B2A of Lab 0,0,0).
echo "0 0 0" | xicclu -fb -ir -pl "$OUT" | tail -n 1
