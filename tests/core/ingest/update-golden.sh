#!/usr/bin/env bash
# Regenerates tests/core/ingest/golden/*.expected.txt from the current Chunker, for a change to the
# chunking rules that is intended. Review the diff (git diff tests/core/ingest/golden) before committing.
#
# Usage: tests/core/ingest/update-golden.sh [BUILD_DIR]    (default: build/dev; relative to the checkout)
# Runs inside the project's build environment through ./dev when the host lacks the dependencies.
set -euo pipefail

checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
build="${1:-build/dev}"
cd "$checkout"

run() {
    if [[ -x ./dev ]]; then ./dev exec "$@"; else "$@"; fi
}

run cmake --build "$build" --target tst_chunker
# The dev environment starts with a clean environment, so the variable is passed through `env`.
run env RAGDESK_UPDATE_GOLDEN=1 "$build/tests/tst_chunker" golden
echo "Updated expected outputs in tests/core/ingest/golden/; review them with: git diff tests/core/ingest/golden"
