#!/usr/bin/env python3
"""Checks an eval queries file against the corpus it refers to (stdlib only).

usage: scripts/eval-check-queries.py QUERIES.jsonl [CORPUS_ROOT]

CORPUS_ROOT defaults to the folder that `scripts/eval-corpus.sh --subset` prints for
its default cache directory. Every line must be a JSON object with a non-empty
"query" string and a non-empty "relevant" list of paths relative to CORPUS_ROOT
(no leading slash, no "..", no "#page" suffix for HTML) that exist as files there.
Queries must be unique. Exits 1 and lists the problems if any check fails.
"""

import json
import os
import sys
from collections import Counter


def default_root():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "ragdesk-eval", "python3.13-doc", "subset")


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    queries_path = argv[1]
    root = argv[2] if len(argv) == 3 else default_root()
    if not os.path.isdir(root):
        print(f"corpus root {root} does not exist (run scripts/eval-corpus.sh --subset)", file=sys.stderr)
        return 2

    problems = []
    seen = Counter()
    per_folder = Counter()
    relevant_total = 0
    count = 0
    with open(queries_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            where = f"{queries_path}:{number}"
            if not line.strip():
                problems.append(f"{where}: empty line")
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e})")
                continue
            if not isinstance(entry, dict) or set(entry) != {"query", "relevant"}:
                problems.append(f"{where}: expected exactly the keys query and relevant")
                continue
            query, relevant = entry["query"], entry["relevant"]
            if not isinstance(query, str) or not query.strip():
                problems.append(f"{where}: query must be a non-empty string")
                continue
            count += 1
            seen[query.strip().lower()] += 1
            if not isinstance(relevant, list) or not relevant:
                problems.append(f"{where}: relevant must be a non-empty list")
                continue
            if len(set(relevant)) != len(relevant):
                problems.append(f"{where}: relevant lists a path twice")
            for path in relevant:
                if not isinstance(path, str) or not path:
                    problems.append(f"{where}: relevant entries must be non-empty strings")
                    continue
                relevant_total += 1
                file_part, _, page = path.partition("#")
                if path.startswith("/") or ".." in path.split("/"):
                    problems.append(f"{where}: {path} is not a path inside the corpus root")
                elif page and file_part.endswith(".html"):
                    problems.append(f"{where}: {path}: HTML documents have no pages")
                elif not os.path.isfile(os.path.join(root, file_part)):
                    problems.append(f"{where}: {file_part} not found under {root}")
                else:
                    per_folder[file_part.split("/")[0]] += 1

    for query, n in seen.items():
        if n > 1:
            problems.append(f"query repeated {n} times: {query}")

    for problem in problems:
        print(problem, file=sys.stderr)
    folders = ", ".join(f"{name} {n}" for name, n in sorted(per_folder.items()))
    print(f"{count} queries, {relevant_total} relevant paths ({folders}); "
          f"{len(problems)} problem(s); corpus root {root}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
