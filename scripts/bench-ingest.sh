#!/usr/bin/env bash
# The ingestion benchmark of docs/BENCHMARKS.md: ragdesk-cli bench-ingest over a generated corpus
# while 10 chats stream against the fake server (TTFT 200 ms, 50 tokens/s, 200 tokens), then the
# index write/delete benchmark. Usage: scripts/bench-ingest.sh BIN_DIR [bench-ingest flags...]
set -euo pipefail
bin_dir="$1"
shift
source "$(dirname "$0")/fake-llm.sh"
start_fake_llm "$bin_dir" --ttft-ms 200 --tokens-per-s 50 --tokens 200 --usage
trap stop_fake_llm EXIT
echo "## bench-ingest ($(nproc) cores, $(date -u +%F))"
"$bin_dir/ragdesk-cli" bench-ingest --base-url "$FAKE_LLM_URL" --model bench --chats 10 "$@"
if [[ -x "$bin_dir/ragdesk-bench-index" ]]; then
    echo "## bench-index"
    "$bin_dir/ragdesk-bench-index"
fi
