#!/usr/bin/env bash
# checkov over the Terraform in aws/, with aws/.checkov.yaml (its skip list says why each check is skipped), offline.
# scripts/install-checkov.sh builds aws/checkov/.venv; tests/aws/test_checkov.py runs this. Extra arguments go to
# checkov, e.g. `scripts/checkov.sh -o json`.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV=aws/checkov/.venv/bin/checkov
if [[ ! -x "$CHECKOV" ]]; then
    echo "checkov: $CHECKOV not found. Run scripts/install-checkov.sh (make aws-check does)." >&2
    exit 1
fi
# No network: no check-id mapping or guidelines from the Prisma Cloud platform, no PyPI query for a newer checkov,
# no module downloads (the modules are local paths).
export BC_SKIP_MAPPING=TRUE
export CKV_SKIP_PACKAGE_UPDATE_CHECK=true
export DOWNLOAD_EXTERNAL_MODULES=false
exec "$CHECKOV" --config-file aws/.checkov.yaml "$@"
