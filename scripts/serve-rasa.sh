#!/usr/bin/env bash
# Starts the Rasa server with the newest model: HTTP API, REST, socket.io and Telegram.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

model=$(ls -t models/*.tar.gz 2>/dev/null | head -1 || true)
if [ -z "$model" ]; then
  echo "No trained model in models/. Run: make train" >&2
  exit 1
fi

args=(run --enable-api --interface "$HARBOR_HOST" --port "$RASA_PORT" --model "$model"
      --credentials credentials.yml --endpoints endpoints.yml --cors "$HARBOR_WEB_ORIGIN")
if [ -n "$HARBOR_API_TOKEN" ]; then
  args+=(--auth-token "$HARBOR_API_TOKEN")
elif [ "$HARBOR_HOST" != "127.0.0.1" ] && [ "$HARBOR_HOST" != "localhost" ]; then
  # The HTTP API can read and rewrite every conversation: never expose it without a token.
  echo "Refusing to bind $HARBOR_HOST without HARBOR_API_TOKEN (the API would be open)." >&2
  exit 1
fi
exec .venv/bin/rasa "${args[@]}"
