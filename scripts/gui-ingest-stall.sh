#!/usr/bin/env bash
# The GUI half of docs/BENCHMARKS.md's ingestion figures: the real window under Xvfb indexes the
# bench corpus (a watched folder found changed at start-up) with the Knowledge Bases tab open;
# the status bar's "UI latency ... (worst N ms)" is the stall figure, read from the screenshot.
# Usage: scripts/gui-ingest-stall.sh BIN_DIR FILES SECONDS OUT.png   (inside the dev root)
set -euo pipefail
bin="$1" files="$2" seconds="$3" out="$4"
work="$(mktemp -d)"
app="" xvfb=""
# Only the PIDs this script started: a bare `kill 0` would take the caller's whole process group.
cleanup() {
    for pid in $app $xvfb; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/profile" "$work/docs"
"$bin/ragdesk-cli" --profile "$work/profile" kb create Bench >/dev/null
"$bin/ragdesk-cli" --profile "$work/profile" kb add Bench "$work/docs" >/dev/null
"$bin/ragdesk-cli" bench-ingest --files "$files" --write-corpus "$work/docs"
Xvfb :93 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=:93 "$bin/ragdesk" --profile "$work/profile" --base-url http://127.0.0.1:9/v1 --knowledge-bases \
    >"$work/app.log" 2>&1 &
app=$!
sleep "$seconds"
DISPLAY=:93 import -window root "$out"
echo "screenshot: $out"
