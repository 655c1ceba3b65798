#!/usr/bin/env bash
# Starts the Rasa server with the newest model: HTTP API (token always), REST, socket.io, Telegram.
# How it starts (module, options, process settings) is described once, in bot/server/launch.py;
# unsafe settings (a public interface without tokens, several workers without a shared lock
# store, secrets on the command line) are refused there before anything starts. The API token
# comes from HARBOR_API_TOKEN or var/api-token (created on first start), never a command line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec .venv/bin/python -m bot.server.launch rasa "$@"
