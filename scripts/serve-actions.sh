#!/usr/bin/env bash
# Starts the action server on 127.0.0.1:$ACTIONS_PORT; it runs actions only for Rasa (a shared
# secret from HARBOR_ACTION_SECRET or var/action-secret) and sends no CORS headers.
# How it starts is described once, in bot/server/launch.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec .venv/bin/python -m bot.server.launch actions "$@"
