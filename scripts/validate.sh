#!/usr/bin/env bash
# rasa data validate over domain/ and data/, failing on any warning.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
.venv/bin/rasa data validate --domain domain --data data --config config.yml --fail-on-warnings \
  > var/validate.log 2>&1 || { cat var/validate.log; echo "rasa data validate failed" >&2; exit 1; }
grep -E "WARNING|UserWarning" var/validate.log && { echo "rasa data validate warned" >&2; exit 1; }
echo "rasa data validate: clean"
