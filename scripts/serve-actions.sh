#!/usr/bin/env bash
# Starts the action server on 127.0.0.1:$ACTIONS_PORT; it runs actions only for Rasa (a shared
# secret from HARBOR_ACTION_SECRET or var/action-secret) and sends no CORS headers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec .venv/bin/python -m bot.server.action_server --port "$ACTIONS_PORT"
