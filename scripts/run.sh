#!/usr/bin/env bash
# Starts the action server, the Rasa server and the chat page; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mkdir -p var/log

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping Harbor..."
  # Each server runs in its own session: stop the whole group, not just `make`.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 0
}
trap stop_all INT TERM EXIT

wait_for() {  # url, name, seconds
  for _ in $(seq "$3"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "$2 did not come up within $3 s; see var/log/" >&2
  return 1
}

setsid make --no-print-directory serve-actions > var/log/actions.log 2>&1 & pids+=($!)
setsid make --no-print-directory serve-rasa > var/log/rasa.log 2>&1 & pids+=($!)
setsid make --no-print-directory serve-web > var/log/web.log 2>&1 & pids+=($!)

wait_for "http://127.0.0.1:${ACTIONS_PORT}/health" "Action server" 90
wait_for "http://127.0.0.1:${RASA_PORT}/" "Rasa server" 180
wait_for "http://127.0.0.1:${WEB_PORT}/" "Chat page" 30

if [ -n "$HARBOR_API_TOKEN" ]; then token_hint="HARBOR_API_TOKEN"; else token_hint="in var/api-token (add ?token=... to API calls)"; fi
cat <<MSG

Harbor is running.
  Chat page:      http://127.0.0.1:${WEB_PORT}/
  Rasa (REST):    http://127.0.0.1:${RASA_PORT}/webhooks/rest/webhook
  Action server:  http://127.0.0.1:${ACTIONS_PORT}/health
  HTTP API token: ${token_hint}
Logs are in var/log/. Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}" || true
echo "A Harbor process exited; see var/log/." >&2
