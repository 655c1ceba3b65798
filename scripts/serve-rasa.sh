#!/usr/bin/env bash
# Starts the Rasa server with the newest model: HTTP API (token always), REST, socket.io, Telegram.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# Unsafe settings are refused before anything starts.
if [ -z "$HARBOR_API_TOKEN" ] && [ "$HARBOR_HOST" != "127.0.0.1" ] && [ "$HARBOR_HOST" != "localhost" ]; then
  # The HTTP API can read and rewrite every conversation: never expose it without a token.
  echo "Refusing to bind $HARBOR_HOST without HARBOR_API_TOKEN (var/api-token is for one machine; set it from your secret store)." >&2
  exit 1
fi
if [ "${SANIC_WORKERS:-1}" -gt 1 ] && [ -z "$LOCK_STORE_URL" ]; then
  # Each worker would lock conversations only in its own memory: one person's messages
  # could then be handled twice at once and events lost.
  echo "Refusing SANIC_WORKERS=$SANIC_WORKERS without LOCK_STORE_URL (a Redis lock store; see docs/deploy.md)." >&2
  exit 1
fi

# The newest model in models/; the API token comes from HARBOR_API_TOKEN or var/api-token
# (created on first start) and never goes on a command line (docs/security.md).
exec .venv/bin/python -m bot.server.rasa_server --interface "$HARBOR_HOST" --port "$RASA_PORT"
