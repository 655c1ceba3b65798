#!/usr/bin/env bash
# Starts the Rasa server with the newest model: HTTP API, REST, socket.io and Telegram.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# Unsafe settings are refused before anything starts.
if [ -z "$HARBOR_API_TOKEN" ] && [ "$HARBOR_HOST" != "127.0.0.1" ] && [ "$HARBOR_HOST" != "localhost" ]; then
  # The HTTP API can read and rewrite every conversation: never expose it without a token.
  echo "Refusing to bind $HARBOR_HOST without HARBOR_API_TOKEN (the API would be open)." >&2
  exit 1
fi
if [ "${SANIC_WORKERS:-1}" -gt 1 ] && [ -z "$LOCK_STORE_URL" ]; then
  # Each worker would lock conversations only in its own memory: one person's messages
  # could then be handled twice at once and events lost.
  echo "Refusing SANIC_WORKERS=$SANIC_WORKERS without LOCK_STORE_URL (a Redis lock store; see docs/deploy.md)." >&2
  exit 1
fi

model=$(ls -t models/*.tar.gz 2>/dev/null | head -1 || true)
if [ -z "$model" ]; then
  echo "No trained model in models/. Run: make train" >&2
  exit 1
fi

args=(run --enable-api --interface "$HARBOR_HOST" --port "$RASA_PORT" --model "$model"
      --credentials credentials.yml --endpoints endpoints.yml --cors "$HARBOR_WEB_ORIGIN")
if [ -n "$HARBOR_API_TOKEN" ]; then
  args+=(--auth-token "$HARBOR_API_TOKEN")
fi
exec .venv/bin/rasa "${args[@]}"
