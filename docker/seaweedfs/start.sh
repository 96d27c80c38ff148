#!/bin/sh
# SeaweedFS with one S3 identity, the stack's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from .env: writes the
# identity file (docs/adr/0009-object-store.md), then runs the command it is given, normally the image's own
# /entrypoint.sh, which adds its data-folder defaults and drops root. Requests without these keys are refused.
set -eu

: "${AWS_ACCESS_KEY_ID:?AWS_ACCESS_KEY_ID is not set: set it in .env (see .env.example)}"
: "${AWS_SECRET_ACCESS_KEY:?AWS_SECRET_ACCESS_KEY is not set: set it in .env (see .env.example)}"
case "$AWS_ACCESS_KEY_ID$AWS_SECRET_ACCESS_KEY" in
    *'"'* | *'\'*)
        echo "seaweedfs: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY may not contain quotes or backslashes" >&2
        exit 1
        ;;
esac

config="${S3_CONFIG_FILE:-/tmp/s3.json}"
umask 077
cat >"$config" <<JSON
{
  "identities": [
    {
      "name": "data-stack",
      "credentials": [{"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}],
      "actions": ["Admin", "Read", "List", "Tagging", "Write"]
    }
  ]
}
JSON
# The image's entrypoint runs SeaweedFS as the `seaweed` user (when the image has one): let it read the file.
if [ "$(id -u)" = 0 ] && id seaweed >/dev/null 2>&1; then
    chown seaweed "$config"
fi
exec "$@"
