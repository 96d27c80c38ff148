#!/bin/sh
# Alertmanager with the team's webhook: copies alertmanager.yml to a writable place with the placeholder URL
# replaced by ALERT_WEBHOOK_URL (from .env; empty keeps the placeholder, so alerts show in the UI but go nowhere),
# then runs the command it is given, normally /bin/alertmanager --config.file=<that copy>.
# POSIX sh and parameter expansion only: the image is busybox, and a URL may hold any of sed's special characters.
set -eu

template="${ALERTMANAGER_TEMPLATE:-/etc/data-stack/alertmanager/alertmanager.yml}"
config="${ALERTMANAGER_CONFIG:-/tmp/alertmanager.yml}"
placeholder="http://alert-webhook.invalid/set-ALERT_WEBHOOK_URL-in-.env"
url="${ALERT_WEBHOOK_URL:-}"

case "$url" in
    "") ;;
    http://* | https://*) ;;
    *)
        echo "alertmanager: ALERT_WEBHOOK_URL must start with http:// or https://" >&2
        exit 1
        ;;
esac
case "$url" in
    *"'"* | *'"'* | *' '*)
        echo "alertmanager: ALERT_WEBHOOK_URL may not contain quotes or spaces (percent-encode them)" >&2
        exit 1
        ;;
esac

umask 077
: >"$config"
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        *"$placeholder"*)
            if [ -n "$url" ]; then
                # YAML single quotes: the URL is taken literally (no quotes in it, checked above).
                line="${line%%"$placeholder"*}'$url'${line#*"$placeholder"}"
            fi
            ;;
    esac
    printf '%s\n' "$line" >>"$config"
done <"$template"
exec "$@"
