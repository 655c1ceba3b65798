#!/usr/bin/env bash
# rasa data validate over domain/ and data/; any warning about Harbor's data fails.
# One kind is expected by design and allowed: intents that no person types, so they have
# no NLU examples — `crisis` (set only by the safety layer) and EXTERNAL_* (reminders) —
# and responses only bot.nlu.outage_guard sends, in place of an action it stands in for.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
log=var/validate.log
if ! .venv/bin/rasa data validate --domain domain --data data --config config.yml > "$log" 2>&1; then
  cat "$log"; echo "rasa data validate failed" >&2; exit 1
fi
allowed="The intent '(crisis|crisis_check|EXTERNAL_[a-z_]+)' is listed in the domain file, but is not found in the NLU training data|The utterance 'utter_abuse_awareness_offline' is not used in any story or rule"
warnings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -o "UserWarning: .*" | grep -Ev "$allowed" || true)
if [ -n "$warnings" ]; then
  echo "$warnings"; echo "rasa data validate warned (see $log)" >&2; exit 1
fi
echo "rasa data validate: clean"
