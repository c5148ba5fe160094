# Sourced by the demo and benchmark scripts: starts ragdesk-fake-llm on an ephemeral port and
# sets FAKE_LLM_URL and FAKE_LLM_PID. Usage: start_fake_llm BIN_DIR [server flags...]
start_fake_llm() {
    local bin_dir="$1"
    shift
    local log
    log="$(mktemp)"
    "$bin_dir/ragdesk-fake-llm" "$@" >"$log" 2>&1 &
    FAKE_LLM_PID=$!
    local _
    for _ in $(seq 1 100); do
        FAKE_LLM_URL="$(sed -n 's/^ragdesk-fake-llm listening on //p' "$log" | head -1)"
        [[ -n "$FAKE_LLM_URL" ]] && return 0
        kill -0 "$FAKE_LLM_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "fake LLM server did not start:" >&2
    cat "$log" >&2
    return 1
}

stop_fake_llm() {
    [[ -n "${FAKE_LLM_PID:-}" ]] && kill "$FAKE_LLM_PID" 2>/dev/null && wait "$FAKE_LLM_PID" 2>/dev/null
    return 0
}
