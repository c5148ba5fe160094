#!/usr/bin/env bash
# The search tab's UI-stall figure of docs/BENCHMARKS.md: keystrokes every 80-260 ms for 20 s into a
# search tab over the 10^5-chunk corpus that scripts/bench-retrieval.sh built, hybrid searches
# against the fake server's embedder. Usage: scripts/bench-search-typing.sh BIN_DIR [CORPUS_DIR]
set -euo pipefail
bin_dir="$1"
corpus="${2:-${TMPDIR:-/tmp}/ragdesk-bench-retrieval}/chunks-100000"
[[ -f "$corpus/bench-complete" ]] || { echo "no corpus in $corpus: run scripts/bench-retrieval.sh first" >&2; exit 1; }
source "$(dirname "$0")/fake-llm.sh"
start_fake_llm "$bin_dir" --dimensions 384
trap stop_fake_llm EXIT
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$bin_dir/ragdesk-bench-search-typing" "$corpus" "$FAKE_LLM_URL" 20
