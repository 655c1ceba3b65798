#!/usr/bin/env bash
# Serves the chat page on $HARBOR_HOST:$WEB_PORT (http://127.0.0.1:8080/ by default).
# How it starts is described once, in bot/server/launch.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec .venv/bin/python -m bot.server.launch web "$@"
