# Sourced by the serve/run/test scripts: safe local defaults for every setting.
# Override any of them in the environment (see docs/configuration.md).
export ACTIONS_PORT="${ACTIONS_PORT:-5055}"
export RASA_PORT="${RASA_PORT:-5005}"
export WEB_PORT="${WEB_PORT:-8080}"
export HARBOR_HOST="${HARBOR_HOST:-127.0.0.1}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTIONS_PORT}/webhook}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///var/harbor.db}"
export LOCK_STORE_URL="${LOCK_STORE_URL:-}"
export HARBOR_WEB_ORIGIN="${HARBOR_WEB_ORIGIN:-http://127.0.0.1:${WEB_PORT}}"
# Empty: the servers use (and on first start create) var/api-token and var/action-secret.
export HARBOR_API_TOKEN="${HARBOR_API_TOKEN:-}"
export HARBOR_ACTION_SECRET="${HARBOR_ACTION_SECRET:-}"
# REST integrations' token; required when HARBOR_HOST is not loopback.
export HARBOR_REST_TOKEN="${HARBOR_REST_TOKEN:-}"
export HARBOR_CHECKIN_SECONDS="${HARBOR_CHECKIN_SECONDS:-600}"
export HARBOR_VAULT_REVISIT_HOURS="${HARBOR_VAULT_REVISIT_HOURS:-8}"
export TELEGRAM_TOKEN="${TELEGRAM_TOKEN:-}"
export TELEGRAM_BOT_NAME="${TELEGRAM_BOT_NAME:-}"
export TELEGRAM_WEBHOOK_URL="${TELEGRAM_WEBHOOK_URL:-}"
export TELEGRAM_SECRET_TOKEN="${TELEGRAM_SECRET_TOKEN:-}"
export TELEGRAM_API_SERVER="${TELEGRAM_API_SERVER:-https://api.telegram.org}"
# One TensorFlow thread per Rasa process: throughput comes from Sanic workers (one per core,
# docs/deploy.md), and several TF thread pools fighting over 2 cores were measured slower.
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
# Rasa's accept queue; stock 100 refuses connections when a crowd arrives at once.
export SANIC_BACKLOG="${SANIC_BACKLOG:-1024}"
# TensorFlow and Rasa are chatty; keep logs to what an operator needs.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# Files Harbor creates (the SQLite database, logs, secrets) are readable by their owner only.
umask 077
mkdir -p var && chmod 700 var
