#!/usr/bin/env bash
# The retrieval benchmark of docs/BENCHMARKS.md: ragdesk-cli bench-retrieval over synthetic
# knowledge bases of 10^4, 10^5 and 10^6 chunks, with query vectors from the fake server's
# embedder. Usage: scripts/bench-retrieval.sh BIN_DIR [bench-retrieval flags...]
# The corpora are cached in $TMPDIR/ragdesk-bench-retrieval (10^6 chunks take ~4 GB and a few
# minutes to build); pass --corpus-dir DIR to keep them elsewhere.
set -euo pipefail
bin_dir="$1"
shift
source "$(dirname "$0")/fake-llm.sh"
start_fake_llm "$bin_dir" --dimensions 384
trap stop_fake_llm EXIT
echo "## bench-retrieval ($(nproc) cores, $(date -u +%F))"
"$bin_dir/ragdesk-cli" bench-retrieval --base-url "$FAKE_LLM_URL" "$@"
