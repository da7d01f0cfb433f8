#!/usr/bin/env bash
# Builds temporal-server and temporal-sql-tool from the Go module proxy at the version pinned in
# temporal-server.version, once per version: the binaries live in a cache outside the repository
# (so a fresh clone on the same machine reuses them) and are linked into .tools/.
# Prints the path of the directory holding both binaries on stdout; progress goes to stderr.
#   build-temporal.sh                # build when missing
#   build-temporal.sh --cached-only  # exit 1 instead of building
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$(tr -d '[:space:]' <"$here/temporal-server.version")"
cache_root="${PROBLEM_WORKFLOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/problem-workflows}"
out="$cache_root/temporal-server-v$version"
tools="$repo/.tools/temporal-server-v$version"

if [[ ! -x "$out/temporal-server" || ! -x "$out/temporal-sql-tool" ]]; then
  [[ "${1:-}" != --cached-only ]] || exit 1
  command -v go >/dev/null || { echo "go is required to build temporal-server (Go >= 1.25)" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  start=$(date +%s)
  echo "building temporal-server v$version and temporal-sql-tool (first build takes about 10 min of CPU)..." >&2
  (
    cd "$work"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local
    go mod init build-temporal >/dev/null 2>&1
    go get "go.temporal.io/server@v$version" >&2
    go build -p "${GO_BUILD_JOBS:-1}" -trimpath -o "$work/bin/temporal-server" go.temporal.io/server/cmd/server >&2
    go build -p "${GO_BUILD_JOBS:-1}" -trimpath -o "$work/bin/temporal-sql-tool" go.temporal.io/server/cmd/tools/sql >&2
  )
  mkdir -p "$out"
  mv "$work/bin/temporal-server" "$work/bin/temporal-sql-tool" "$out/"
  echo "built in $(( $(date +%s) - start ))s into $out" >&2
fi

mkdir -p "$repo/.tools"
ln -sfn "$out" "$tools"
echo "$tools"
