#!/usr/bin/env bash
# checkov for the Terraform checks (tests/aws/), in its own environment aws/checkov/.venv from the hash-locked
# aws/checkov/requirements.txt: it bundles its own `hcl2` module, which would shadow python-hcl2 in .venv.
# Idempotent: does nothing when the environment was built from the current lock.
# Relock: python3 -m uv pip compile --generate-hashes --python-version 3.11 aws/checkov/requirements.in \
#   -o aws/checkov/requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
UV_VERSION="0.13.9"
export UV_PYTHON_DOWNLOADS=never   # use the machine's Python; never fetch interpreter binaries
LOCK=aws/checkov/requirements.txt
VENV=aws/checkov/.venv
STAMP="$VENV/.lock-sha256"

want="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/checkov" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
    exit 0
fi

if command -v uv >/dev/null 2>&1; then
    UV=(uv)
else
    if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
        echo "install-checkov: installing uv $UV_VERSION with pip"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    fi
    UV=("$PYTHON" -m uv)
fi

echo "install-checkov: creating $VENV from $LOCK"
rm -rf "$VENV"
"${UV[@]}" venv --quiet --python "$PYTHON" "$VENV"
"${UV[@]}" pip install --quiet --python "$VENV/bin/python" --require-hashes -r "$LOCK"
echo "$want" >"$STAMP"
"$VENV/bin/checkov" --version
