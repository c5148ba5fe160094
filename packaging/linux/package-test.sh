#!/usr/bin/env bash
# The package smoke test, run by `./dev package-test` inside a throwaway copy of a clean Debian 13
# root (packaging/linux/test-root-packages.txt: apt, Xvfb, ImageMagick, a font; no Qt, no
# compiler). Installs the .deb with apt, runs both apps, then removes the package.
#
# Usage: package-test.sh /tmp/ragdesk_VERSION_ARCH.deb
# Expects /opt/ragdesk-test/bin/ragdesk-fake-llm and /opt/ragdesk-test/fake-llm.sh (bound in from
# the build tree: the fake server is not packaged) and writes logs and the screenshot to /out.
# ROOT_SECONDS, if set, is how long preparing the root took (reported as step "root").
set -uo pipefail

deb="$1"
out=/out
export DEBIAN_FRONTEND=noninteractive
export QT_LOGGING_RULES="${QT_LOGGING_RULES:-}"

results=()
failed=0
skip_rest=0
total_started=$(date +%s.%N)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[package-test] %s\n' "$*"; }

# step NAME DESCRIPTION FUNCTION: runs FUNCTION, records PASS/FAIL and its time. A failed step
# whose name is in CRITICAL skips the rest (nothing to test without an installed package).
step() {
    local name="$1" what="$2" fn="$3" started status
    if ((skip_rest)); then
        results+=("SKIP  $(printf '%-10s' "$name")     -   $what")
        say "SKIP $name: an earlier step failed"
        return
    fi
    say "--- $name: $what"
    started=$(date +%s.%N)
    if "$fn"; then status=PASS; else status=FAIL; failed=1; fi
    local t
    t="$(elapsed "$started")"
    results+=("$status  $(printf '%-10s %6ss' "$name" "$t")  $what")
    say "$status $name (${t} s)"
    if [[ $status == FAIL && " $CRITICAL " == *" $name "* ]]; then skip_rest=1; fi
}
CRITICAL="install"

# --- install -------------------------------------------------------------------------------------

pkg_version=""
do_install() {
    apt-get update -qq >"$out/apt-update.log" 2>&1 || { cat "$out/apt-update.log"; return 1; }
    # Recommends stay off (as configured in the root): the Depends alone must make the apps work.
    if ! apt-get install -y --no-install-recommends "$deb" >"$out/apt-install.log" 2>&1; then
        tail -30 "$out/apt-install.log"
        return 1
    fi
    grep -E '^(Setting up|Unpacking) ' "$out/apt-install.log" | wc -l | xargs printf '  %s package actions\n'
    [[ "$(dpkg-query -W -f='${Status}' ragdesk 2>/dev/null)" == "install ok installed" ]] || return 1
    pkg_version="$(dpkg-query -W -f='${Version}' ragdesk)"
    say "installed ragdesk $pkg_version"
    say "Depends: $(dpkg-query -W -f='${Depends}' ragdesk)"
    say "Recommends: $(dpkg-query -W -f='${Recommends}' ragdesk)"
    dpkg -L ragdesk >"$out/files.txt"
    for f in /usr/bin/ragdesk /usr/bin/ragdesk-cli /usr/share/applications/org.ragdesk.Ragdesk.desktop; do
        [[ -e $f ]] || { say "missing $f"; return 1; }
    done
}

# --- version ---------------------------------------------------------------------------------------

do_version() {
    local cli gui
    cli="$(ragdesk-cli --version 2>&1)" || { echo "$cli"; return 1; }
    say "ragdesk-cli --version: $cli"
    [[ "$cli" == "ragdesk $pkg_version "* ]] || { say "expected 'ragdesk $pkg_version ...'"; return 1; }
    # The GUI's --version needs a QApplication; offscreen needs no display.
    gui="$(QT_QPA_PLATFORM=offscreen ragdesk --version 2>&1)" || { echo "$gui"; return 1; }
    say "ragdesk --version: $gui"
    [[ "$gui" == "ragdesk $pkg_version "* ]]
}

# --- a knowledge base, through the installed ragdesk-extract ---------------------------------------

do_kb() {
    local work log
    work="$(mktemp -d)"
    mkdir -p "$work/docs"
    printf '# Installed\n\n## Check\n\nThe packaged extractor reads this note.\n' >"$work/docs/note.md"
    printf '<html><head><title>Page</title></head><body><h1>Web</h1><p>Hypertext.</p></body></html>' >"$work/docs/page.html"
    [[ -x /usr/libexec/ragdesk/ragdesk-extract ]] || { say "missing /usr/libexec/ragdesk/ragdesk-extract"; return 1; }
    ragdesk-cli --profile "$work/profile" kb create Smoke >"$out/kb.log" 2>&1 || { cat "$out/kb.log"; return 1; }
    # The CLI finds the helper in ../libexec/ragdesk relative to itself, as the GUI does.
    if ! ragdesk-cli --profile "$work/profile" kb add Smoke "$work/docs" >>"$out/kb.log" 2>&1; then
        cat "$out/kb.log"
        return 1
    fi
    grep -q '2 indexed, 0 failed' "$out/kb.log" || { cat "$out/kb.log"; return 1; }
    say "$(grep 'indexed,' "$out/kb.log")"
    # Search through the packaged tokenizer: "checks" reaches "Check" only by its stem
    # (libstemmer), so a missing runtime library or tokenizer fails here.
    if ! ragdesk-cli --profile "$work/profile" search --mode keyword checks >"$out/search.log" 2>&1; then
        cat "$out/search.log"
        return 1
    fi
    grep -q 'note.md' "$out/search.log" || { cat "$out/search.log"; return 1; }
    say "search: $(head -1 "$out/search.log")"
    rm -rf "$work"
}

# --- bench-chat against the fake server ------------------------------------------------------------

# shellcheck source=../../scripts/fake-llm.sh
source /opt/ragdesk-test/fake-llm.sh
do_bench() {
    start_fake_llm /opt/ragdesk-test/bin --ttft-ms 50 --tokens-per-s 200 --tokens 40 --usage || return 1
    local json rc=0
    json="$(ragdesk-cli --profile /tmp/cli-profile bench-chat --base-url "$FAKE_LLM_URL" --model test \
        --sessions 3 --json 2>"$out/bench-chat.err")" || rc=$?
    printf '%s\n' "$json" >"$out/bench-chat.json"
    say "bench-chat: $(tail -1 <<<"$json")"
    ((rc == 0)) || { say "ragdesk-cli exited with $rc"; cat "$out/bench-chat.err"; return 1; }
    [[ "$json" == *'"completed":3'* ]]
}

# --- GUI under Xvfb, screenshot, runtime plugins ---------------------------------------------------

gui_pid=""
xvfb_pid=""
do_gui() {
    Xvfb :42 -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
    xvfb_pid=$!
    local _
    for _ in $(seq 1 100); do [[ -S /tmp/.X11-unix/X42 ]] && break; sleep 0.05; done
    [[ -S /tmp/.X11-unix/X42 ]] || { say "Xvfb did not start"; cat "$out/xvfb.log"; return 1; }
    # No QT_QPA_PLATFORM: Qt picks xcb from DISPLAY as on a desktop, so the xcb plugin must load.
    DISPLAY=:42 ragdesk --profile /tmp/p --base-url "$FAKE_LLM_URL" --model demo >"$out/gui.log" 2>&1 &
    gui_pid=$!
    sleep 5
    kill -0 "$gui_pid" 2>/dev/null || { say "ragdesk exited:"; cat "$out/gui.log"; return 1; }
    DISPLAY=:42 import -window root "$out/package-test.png" || { say "import failed"; return 1; }
    say "screenshot: $(identify -format '%wx%h, %k colours' "$out/package-test.png")"
    # A plain-colour screen means no window was drawn.
    local colours
    colours="$(identify -format '%k' "$out/package-test.png")"
    ((colours > 16)) || { say "screenshot has only $colours colours: no window?"; return 1; }
    check_loaded_libraries "$gui_pid" || return 1
    kill -0 "$gui_pid" 2>/dev/null || { say "ragdesk died after the screenshot:"; cat "$out/gui.log"; return 1; }
    if grep -Ei 'could not (load|find)|driver not loaded|cannot load|failed to load' "$out/gui.log"; then
        say "ragdesk reported a loading problem (above)"
        return 1
    fi
}

# Every shared object the running GUI mapped must come from ragdesk's dependency closure (not from
# a package that only the test root's tools pulled in), and every Qt plugin from a package that
# ragdesk depends on directly: those are the ones dpkg-shlibdeps cannot compute.
check_loaded_libraries() {
    local pid="$1"
    grep -oE '/[^ ]+\.so[^ ]*$' "/proc/$pid/maps" | sort -u >"$out/gui-loaded.txt"
    local closure direct
    closure="$(apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances ragdesk 2>/dev/null | grep -v '^ ' | tr -d '<>' | sort -u)"
    direct="$(dpkg-query -W -f='${Depends}' ragdesk | tr ',' '\n' | sed -E 's/^ +//; s/[ (|].*//' | sort -u)"
    local ok=0 file owner pkg plugins=()
    while read -r file; do
        owner="$(dpkg -S "$(readlink -f "$file")" 2>/dev/null || dpkg -S "$file" 2>/dev/null)" || {
            say "  $file belongs to no package"; ok=1; continue; }
        pkg="${owner%%:*}"
        grep -qx "$pkg" <<<"$closure" || { say "  $file: $pkg is not a dependency of ragdesk"; ok=1; }
        if [[ "$file" == */qt6/plugins/* ]]; then
            plugins+=("${file#*/qt6/plugins/} ($pkg)")
            grep -qx "$pkg" <<<"$direct" || { say "  plugin $file: $pkg is not in Depends"; ok=1; }
        fi
    done <"$out/gui-loaded.txt"
    say "$(wc -l <"$out/gui-loaded.txt") shared objects loaded, Qt plugins:"
    printf '  %s\n' "${plugins[@]}"
    return "$ok"
}

stop_gui() {
    [[ -n "$gui_pid" ]] && kill "$gui_pid" 2>/dev/null && wait "$gui_pid" 2>/dev/null
    [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    gui_pid="" xvfb_pid=""
    stop_fake_llm
}
trap stop_gui EXIT

# --- remove and purge ------------------------------------------------------------------------------

do_remove() {
    stop_gui
    apt-get remove -y ragdesk >"$out/apt-remove.log" 2>&1 || { tail -20 "$out/apt-remove.log"; return 1; }
    [[ ! -e /usr/bin/ragdesk && ! -e /usr/bin/ragdesk-cli ]] || { say "/usr/bin/ragdesk is still there"; return 1; }
    # Without conffiles `remove` already forgets the package; purge whatever dpkg still records.
    if dpkg-query -W ragdesk >/dev/null 2>&1; then
        apt-get purge -y ragdesk >>"$out/apt-remove.log" 2>&1 || { tail -20 "$out/apt-remove.log"; return 1; }
    fi
    if dpkg-query -W -f='${Status}' ragdesk 2>/dev/null | grep -q .; then
        say "dpkg still records ragdesk: $(dpkg-query -W -f='${Status}' ragdesk)"
        return 1
    fi
    local left=0 f
    while read -r f; do
        [[ -f "$f" ]] && { say "left behind: $f"; left=1; }
    done <"$out/files.txt"
    return "$left"
}

say "package: $(basename "$deb")"
if [[ -n "${ROOT_SECONDS:-}" ]]; then
    results+=("PASS  $(printf '%-10s %6ss' root "$ROOT_SECONDS")  clean Debian 13 root created (once) or cached, copied")
fi
step install "apt-get install ./$(basename "$deb") into the clean root" do_install
step version "ragdesk-cli --version and ragdesk --version name $pkg_version" do_version
step kb "ragdesk-cli kb add indexes Markdown and HTML through /usr/libexec/ragdesk/ragdesk-extract; search finds it by a stem" do_kb
step bench "ragdesk-cli bench-chat --sessions 3 against the fake server" do_bench
step gui "ragdesk under Xvfb: alive, window drawn, plugins from Depends" do_gui
step remove "apt-get remove and purge leave no file behind" do_remove

echo
say "summary ($(basename "$deb"), $(elapsed "$total_started") s in the root):"
printf '  %s\n' "${results[@]}"
if ((failed)); then
    say "FAIL"
    exit 1
fi
say "PASS"
