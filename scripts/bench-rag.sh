#!/usr/bin/env bash
# The RAG turn benchmark of docs/BENCHMARKS.md: ragdesk-cli bench-chat --rag-chunks against the
# fake server (TTFT 200 ms, 50 tokens/s, 100 tokens; queries embedded by its hashing embedder)
# for N = 1 and 20 sessions over a synthetic corpus; prints a Markdown table.
# Usage: scripts/bench-rag.sh BIN_DIR [N...]
# Environment: RAG_CHUNKS (default 100000) and CORPUS_DIR (default: bench-retrieval's cache in
# the temporary directory; the corpus is built on the first run and reused after).
set -euo pipefail
bin_dir="${1:?usage: scripts/bench-rag.sh BIN_DIR [N...]}"
counts=("${@:2}")
(( ${#counts[@]} )) || counts=(1 20)
chunks="${RAG_CHUNKS:-100000}"
corpus_args=()
[[ -z "${CORPUS_DIR:-}" ]] || corpus_args=(--corpus-dir "$CORPUS_DIR")
# shellcheck source=scripts/fake-llm.sh
source "$(dirname "$0")/fake-llm.sh"
trap stop_fake_llm EXIT
start_fake_llm "$bin_dir" --ttft-ms 200 --tokens-per-s 50 --tokens 100 --usage

echo "| sessions | chunks | completed | failed | overhead p50 | overhead p95 | overhead max | retrieval p50 | retrieval p95 | vector stage p95 | keyword stage p95 | TTFT p50 | TTFT p95 | UI stall p99 | UI stall max | CPU ms to first tokens |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
    json="$("$bin_dir/ragdesk-cli" bench-chat --base-url "$FAKE_LLM_URL" --model bench --sessions "$n" \
        --rag-chunks "$chunks" "${corpus_args[@]}" --json | tail -1)"
    echo "$json" >&2
    # Flat field extraction: the JSON line has a fixed, known shape and the root has no jq.
    field() { sed -E "s/.*\"$1\":\{[^}]*\"$2\":([0-9.]+).*/\\1/" <<<"$json"; }
    top() { sed -E "s/.*\"$1\":([0-9.]+).*/\\1/" <<<"$json"; }
    echo "| $(top sessions) | $(top rag_chunks) | $(top completed) | $(top failed) | $(field overhead_ms p50) | $(field overhead_ms p95) | $(field overhead_ms max) | $(field retrieval_ms p50) | $(field retrieval_ms p95) | $(field retrieval_stage_p95_ms vector) | $(field retrieval_stage_p95_ms keyword) | $(field ttft_ms p50) | $(field ttft_ms p95) | $(field stall_ms p99) | $(field stall_ms max) | $(top cpu_to_first_tokens_ms) |"
done
