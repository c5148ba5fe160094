#!/usr/bin/env bash
# Fetches the retrieval eval corpus: the Python HTML documentation as packaged in
# Debian 13 (trixie), i.e. the python3-doc package and the versioned package it
# depends on that actually holds the HTML (python3.13-doc in trixie).
#
# usage: scripts/eval-corpus.sh [--subset] [--strict] [--suite SUITE] [--mirror URL] [DIR]
#
#   DIR        cache directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/ragdesk-eval/python3.13-doc)
#   --subset   also build DIR/subset/ holding only library/, tutorial/, howto/, faq/ and
#              reference/ (HTML files, hard-linked when possible, copied otherwise) and print
#              that folder instead of the full HTML root; this is what eval/python-docs indexes
#   --strict   stop when the Packages index does not match the signed Release file
#              (default: warn and go on with the index's own .deb checksums)
#   --suite    Debian suite to take the packages from (default: trixie)
#   --mirror   Debian archive base URL (default: http://deb.debian.org/debian)
#
# Prints one line on stdout: the directory that holds the HTML root (the folder with
# library/, tutorial/, howto/, reference/, faq/ ...), or the subset folder with --subset.
# Progress goes to stderr.
#
# Where to run it: on the host (tested on Debian 12). It needs bash, curl, xz, gpgv,
# sha256sum, dpkg-deb and the Debian archive keyring (debian-archive-keyring, whose
# Debian 12 version already carries the trixie keys), plus network access to the
# Debian archive. It does not use apt and needs no root: it reads the suite's signed
# InRelease, checks the binary-all Packages index against it, resolves the current
# version of python3-doc and of its python3.X-doc dependency from that index, and
# checks each .deb's SHA256 before extracting it with dpkg-deb -x. Nothing is pinned
# by version number; the versions used are recorded in DIR/VERSIONS.
# Run it on the host, not through ./dev exec: the dev root has neither curl nor gpgv.
# When ragdesk-cli itself runs through ./dev exec, only the checkout is visible inside
# the sandbox (as /src), so give a DIR inside the checkout, e.g. build/eval-corpus:
#   scripts/eval-corpus.sh --subset build/eval-corpus   # host path .../build/eval-corpus/subset
#   ./dev exec build/dev/bin/ragdesk-cli kb add python-docs /src/build/eval-corpus/subset
#
# Idempotent: once DIR/VERSIONS exists the download and extraction are skipped
# (no network access); --subset is rebuilt only when DIR/subset is missing.
# Delete DIR to fetch the suite's current version again.
set -euo pipefail

SUITE=trixie
MIRROR=http://deb.debian.org/debian
SUBSET=0
STRICT=0
DIR=""
SUBSET_DIRS=(library tutorial howto faq reference)

log() { printf '[eval-corpus] %s\n' "$*" >&2; }
die() { printf '[eval-corpus] error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --subset) SUBSET=1 ;;
        --strict) STRICT=1 ;;
        --suite) [[ $# -ge 2 ]] || die "--suite needs a value"; SUITE="$2"; shift ;;
        --mirror) [[ $# -ge 2 ]] || die "--mirror needs a value"; MIRROR="${2%/}"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) [[ -z "$DIR" ]] || die "only one DIR may be given"; DIR="$1" ;;
    esac
    shift
done
DIR="${DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ragdesk-eval/python3.13-doc}"

# html_root: the real directory that holds the HTML, found through python3-doc's
# /usr/share/doc/python3/html symlink chain inside the extracted tree.
html_root() {
    local link="$DIR/root/usr/share/doc/python3/html" target
    # The links are relative (html -> ../python3.13-doc/html -> ../python3.13/html);
    # follow them by hand so absolute links in a future package cannot escape DIR.
    local i
    for i in 1 2 3 4 5; do
        [[ -L "$link" ]] || break
        target="$(readlink "$link")"
        case "$target" in
            /*) link="$DIR/root$target" ;;
            *) link="$(dirname "$link")/$target" ;;
        esac
    done
    [[ -d "$link/library" ]] || die "no HTML root with library/ under $DIR/root"
    (cd "$link" && pwd -P)
}

# field STANZA NAME: the value of one field of a Packages stanza.
field() { printf '%s\n' "$1" | sed -n "s/^$2: //p" | head -n1; }

# stanza PACKAGES NAME: the stanza of package NAME (the highest version if several).
stanza() {
    local all best
    all="$(awk -v RS= -v ORS='\n\n' -v name="$2" '$0 ~ ("(^|\n)Package: " name "\n")' "$1")"
    best="$(printf '%s\n' "$all" | sed -n 's/^Version: //p' | sort -V | tail -n1)"
    [[ -n "$best" ]] || die "package $2 not found in $SUITE main/binary-all"
    printf '%s\n' "$all" | awk -v RS= -v ver="$best" 'index($0, "\nVersion: " ver "\n") { print; exit }'
}

fetch() {
    mkdir -p "$DIR/debs"
    local tmp="$DIR/.download"
    rm -rf "$tmp" "$DIR/root.partial"
    mkdir -p "$tmp"

    local keyring
    for keyring in /usr/share/keyrings/debian-archive-keyring.gpg \
                   /usr/share/keyrings/debian-archive-$SUITE-stable.gpg ""; do
        [[ -z "$keyring" || -f "$keyring" ]] && break
    done
    [[ -n "$keyring" ]] || die "no Debian archive keyring in /usr/share/keyrings (install debian-archive-keyring)"

    log "reading $MIRROR/dists/$SUITE/InRelease"
    curl -fsSL --retry 3 -o "$tmp/InRelease" "$MIRROR/dists/$SUITE/InRelease"
    gpgv --keyring "$keyring" --output "$tmp/Release" "$tmp/InRelease" 2>"$tmp/gpgv.log" \
        || { cat "$tmp/gpgv.log" >&2; die "InRelease signature check failed"; }
    local release_version sum
    release_version="$(sed -n 's/^Version: //p' "$tmp/Release" | head -n1)"
    sum="$(awk '/^SHA256:/ { on = 1; next } /^[^ ]/ { on = 0 } on && $3 == "main/binary-all/Packages.xz" { print $1 }' "$tmp/Release")"
    [[ -n "$sum" ]] || die "Release file lists no main/binary-all/Packages.xz"

    log "reading the $SUITE ${release_version:+($release_version) }main/binary-all Packages index"
    local index="$MIRROR/dists/$SUITE/main/binary-all"
    # Like apt, prefer the by-hash copy (stable while a mirror syncs), then the plain name.
    if ! { curl -fsSL --retry 3 -o "$tmp/Packages.xz" "$index/by-hash/SHA256/$sum" 2>/dev/null \
           && echo "$sum  $tmp/Packages.xz" | sha256sum -c --status -; }; then
        curl -fsSL --retry 3 -o "$tmp/Packages.xz" "$index/Packages.xz"
        if ! echo "$sum  $tmp/Packages.xz" | sha256sum -c --status -; then
            # Seen on mirrors and caching proxies that serve an index older or newer than
            # the Release file. The .deb checksums below then come from an index that the
            # signature does not cover.
            [[ "$STRICT" == 0 ]] || die "Packages.xz does not match the signed Release file"
            log "WARNING: Packages.xz does not match the signed Release file (mirror out of sync?);"
            log "WARNING: continuing with its own .deb checksums (use --strict to stop here)"
            printf 'warning Packages.xz-unverified %s\n' "$(sha256sum < "$tmp/Packages.xz" | cut -d' ' -f1)" >> "$tmp/NOTES"
        fi
    fi
    xz -dc "$tmp/Packages.xz" > "$tmp/Packages"

    # python3-doc is a small package of symlinks; the HTML lives in the python3.X-doc
    # package it depends on. Resolve that name from python3-doc's Depends field.
    local meta deps packages=(python3-doc) pkg
    meta="$(stanza "$tmp/Packages" python3-doc)"
    deps="$(field "$meta" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | grep -E '^python3\.[0-9]+-doc$' || true)"
    [[ -n "$deps" ]] || die "python3-doc in $SUITE depends on no python3.X-doc package"
    packages+=($deps)

    touch "$tmp/NOTES"
    : > "$tmp/VERSIONS"
    printf 'suite %s %s\n' "$SUITE" "${release_version:-unknown}" >> "$tmp/VERSIONS"
    mkdir -p "$DIR/root.partial"
    for pkg in "${packages[@]}"; do
        local st file sha version deb
        st="$(stanza "$tmp/Packages" "$pkg")"
        file="$(field "$st" Filename)"
        sha="$(field "$st" SHA256)"
        version="$(field "$st" Version)"
        [[ -n "$file" && -n "$sha" ]] || die "incomplete index entry for $pkg"
        deb="$DIR/debs/$(basename "$file")"
        if [[ -f "$deb" ]] && echo "$sha  $deb" | sha256sum -c --quiet - 2>/dev/null; then
            log "$pkg $version already downloaded"
        else
            log "downloading $pkg $version ($(field "$st" Size) bytes)"
            curl -fsSL --retry 3 -o "$deb.part" "$MIRROR/$file"
            echo "$sha  $deb.part" | sha256sum -c --quiet - || die "checksum mismatch for $file"
            mv "$deb.part" "$deb"
        fi
        dpkg-deb -x "$deb" "$DIR/root.partial"
        printf '%s %s %s\n' "$pkg" "$version" "$file" >> "$tmp/VERSIONS"
    done
    cat "$tmp/NOTES" >> "$tmp/VERSIONS"

    rm -rf "$DIR/root" "$DIR/subset"
    mv "$DIR/root.partial" "$DIR/root"
    mv "$tmp/VERSIONS" "$DIR/VERSIONS"   # written last: marks the extraction complete
    rm -rf "$tmp"
}

build_subset() {
    local root="$1" part="$DIR/subset.partial" d
    rm -rf "$part"
    mkdir -p "$part"
    for d in "${SUBSET_DIRS[@]}"; do
        [[ -d "$root/$d" ]] || die "the HTML root has no $d/"
        # Only the HTML pages; hard links cost no space and keep real (non-symlink) paths.
        (cd "$root" && find "$d" -type f -name '*.html' -print0) | while IFS= read -r -d '' f; do
            mkdir -p "$part/$(dirname "$f")"
            ln "$root/$f" "$part/$f" 2>/dev/null || cp "$root/$f" "$part/$f"
        done
    done
    mv "$part" "$DIR/subset"
    log "subset: $(find "$DIR/subset" -type f | wc -l) HTML files, $(du -sh "$DIR/subset" | cut -f1) in $DIR/subset"
}

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
if [[ -f "$DIR/VERSIONS" && -d "$DIR/root" ]]; then
    log "already extracted: $(tr '\n' ';' < "$DIR/VERSIONS")"
else
    fetch
    log "extracted: $(tr '\n' ';' < "$DIR/VERSIONS")"
fi
ROOT="$(html_root)"
if [[ "$SUBSET" == 1 ]]; then
    [[ -d "$DIR/subset" ]] || build_subset "$ROOT"
    echo "$DIR/subset"
else
    echo "$ROOT"
fi
