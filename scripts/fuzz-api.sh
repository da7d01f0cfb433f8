#!/usr/bin/env bash
# API fuzzing: installs schemathesis (PyPI, pinned) into .tools/venv-fuzz, then fuzzes the
# OpenAPI spec of a throwaway stack (or FUZZ_API_URL) with a valid key. Arguments go to
# scripts/fuzz-api.ts (--max-examples N, --seed N, --max-time S).
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.tools/venv-fuzz
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
exec node_modules/.bin/tsx scripts/fuzz-api.ts "$@"
