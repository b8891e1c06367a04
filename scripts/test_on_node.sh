#!/usr/bin/env bash
# Runs the tests on another supported Node.js line (22 or 24) without touching this
# checkout's node_modules:
#
#   scripts/test_on_node.sh 22              # npm test on Node 22
#   scripts/test_on_node.sh 22 run test:unit
#
# The checkout's files (tracked and untracked, not the ignored ones such as node_modules
# and dist/) are copied to a temporary folder, where `npm ci` installs the dependencies
# with that Node, so better-sqlite3 is compiled for its ABI there. The copy is the
# reliable way: rebuilding the native module in place would leave node_modules built
# for the wrong Node whenever a run stops halfway, and the copy also shows that a fresh
# `npm ci` works on that line. The folder is removed at the end.
set -euo pipefail

line="${1:-}"
if [ -z "$line" ]; then
  echo "usage: $0 22|24 [npm arguments, default: test]" >&2
  exit 2
fi
shift
[ "$#" -gt 0 ] || set -- test

root="$(cd "$(dirname "$0")/.." && pwd)"
node_dir="$("$root/scripts/install_node.sh" "$line")"
export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"

work="$(mktemp -d "${TMPDIR:-/tmp}/oauth2-connect-node$line-XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "[node $line] copying the checkout to $work"
(
  cd "$root"
  git ls-files -z --cached --others --exclude-standard --deduplicate |
    while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done |
    tar --null --files-from=- -cf -
) | tar -xf - -C "$work"

cd "$work"
echo "[node $line] node $(node --version), npm $(npm --version): npm ci (better-sqlite3 compiles: a minute or more)"
npm ci --no-audit --no-fund
echo "[node $line] npm $*"
npm "$@"
