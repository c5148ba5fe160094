#!/usr/bin/env bash
# The chat load benchmark of docs/BENCHMARKS.md: ragdesk-cli bench-chat against the fake server
# (TTFT 200 ms, 50 tokens/s, 200 tokens) for N = 1, 10, 50, 100 sessions; prints a Markdown table.
# Usage: scripts/bench-chat.sh BIN_DIR [N...]
set -euo pipefail
bin_dir="$1"
shift
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(1 10 50 100)
source "$(dirname "$0")/fake-llm.sh"
start_fake_llm "$bin_dir" --ttft-ms 200 --tokens-per-s 50 --tokens 200 --usage
trap stop_fake_llm EXIT

echo "| sessions | completed | failed | TTFT p50 | TTFT p95 | TTFT max | TTFT p95 overhead | total p95 | UI stall p99 | UI stall max | tokens/s per session |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
    json="$("$bin_dir/ragdesk-cli" bench-chat --base-url "$FAKE_LLM_URL" --model bench --sessions "$n" --json | tail -1)"
    echo "$json" >&2
    # Flat field extraction: the JSON line has a fixed, known shape and the root has no jq.
    field() { sed -E "s/.*\"$1\":\{[^}]*\"$2\":([0-9.]+).*/\\1/" <<<"$json"; }
    top() { sed -E "s/.*\"$1\":([0-9.]+).*/\\1/" <<<"$json"; }
    p95="$(field ttft_ms p95)"
    overhead="$(awk -v a="$p95" 'BEGIN { printf "%.1f", a - 200 }')"
    echo "| $(top sessions) | $(top completed) | $(top failed) | $(field ttft_ms p50) | $p95 | $(field ttft_ms max) | $overhead | $(field total_ms p95) | $(field stall_ms p99) | $(field stall_ms max) | $(top tokens_per_s) |"
done
