#!/usr/bin/env bash
# Starts the action server on 127.0.0.1:$ACTIONS_PORT (rasa-sdk binds 0.0.0.0 unless told).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}"
exec .venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" --cors "$HARBOR_WEB_ORIGIN"
