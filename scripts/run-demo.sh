#!/usr/bin/env bash
# ./dev run --demo: the whole flow without a real LLM. Starts the bundled fake OpenAI-compatible
# server and points the app at it for this run only (saved settings are untouched).
set -euo pipefail
bin_dir="$1"
shift
source "$(dirname "$0")/fake-llm.sh"
start_fake_llm "$bin_dir" --ttft-ms 300 --tokens-per-s 40 --tokens 300 --reasoning --usage
trap stop_fake_llm EXIT
echo "demo: fake LLM at $FAKE_LLM_URL" >&2
"$bin_dir/ragdesk" --base-url "$FAKE_LLM_URL" --model demo "$@"
