#!/usr/bin/env bash
# The browser check of a saved run's report.html: renders it in headless Chromium as a reader's browser would, and
# saves next to it report.png (a screenshot, 1280x2000) and report.dom.html (the DOM as rendered), to look at and to test.
#   scripts/report-check.sh DIR      DIR holds report.html (`harness compare` writes it; `harness report DIR` redraws it)
#   scripts/report-check.sh --find   prints the browser it would use, or exits 1 saying why (the tests ask this)
# CHROMIUM names the browser (default: chromium on PATH).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR | --find" >&2
  exit 2
fi
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null; then
  echo "report-check: $chromium not found (install Debian's chromium, or set CHROMIUM)" >&2
  exit 1
fi
if [ "$1" = --find ]; then
  command -v "$chromium"
  exit 0
fi
directory=$(cd "$1" && pwd)
report="$directory/report.html"
if [ ! -f "$report" ]; then
  echo "report-check: no $report (run \`harness report $1\` first)" >&2
  exit 1
fi
# Chromium refuses to run as root inside its sandbox; only then is it turned off (the page is our own, with no script).
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check --user-data-dir="$profile")
if [ "$(id -u)" = 0 ]; then
  flags+=(--no-sandbox)
fi

"$chromium" "${flags[@]}" --window-size=1280,2000 --screenshot="$directory/report.png" "file://$report" 2>/dev/null
"$chromium" "${flags[@]}" --dump-dom "file://$report" 2>/dev/null > "$directory/report.dom.html"

if [ ! -s "$directory/report.png" ] || [ ! -s "$directory/report.dom.html" ]; then
  echo "report-check: chromium wrote no screenshot or DOM for $report" >&2
  exit 1
fi
echo "$directory/report.png"
echo "$directory/report.dom.html"
