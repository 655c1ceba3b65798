#!/usr/bin/env bash
# Trains a model into models/ only when config, domain, data or pinned packages changed.
# A lock keeps two trainings (two terminals, two helpers) from running at once.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mkdir -p models var

exec 9>var/train.lock
flock 9

# Build step: the generated crisis answers (domain/crisis_responses.yml) and the chat page's
# own copy of the crisis lines come from bot/safety/resources.yml; write them first, so the
# model is trained on the answers the directory describes (a no-op when they are current).
.venv/bin/python -m scripts.render_domain >/dev/null
.venv/bin/python -m scripts.render_web_lines >/dev/null

# The safety corpus (data/safety/**/*.tsv) and Harbor's own Rasa components count too: the
# trained crisis screen is learned inside `rasa train` from those files.
fingerprint=$(
  { cat config.yml requirements.lock
    find domain data -type f \( -name '*.yml' -o -name '*.tsv' \) | sort | xargs cat
    find bot/nlu bot/runtime bot/reading bot/safety -type f \( -name '*.py' -o -name '*.yml' \) | sort | xargs cat; } \
    | sha256sum | cut -c1-16
)
newest=$(ls -t models/*.tar.gz 2>/dev/null | head -1 || true)
if [ -n "$newest" ] && [ -f models/.fingerprint ] && [ "$(cat models/.fingerprint)" = "$fingerprint" ]; then
  echo "Model is up to date: $newest"
  exit 0
fi

echo "Training (inputs changed; Rasa reuses its cache in .rasa/ for unchanged parts)..."
start=$(date +%s)
.venv/bin/rasa train --domain domain --data data --config config.yml --out models --quiet
echo "$fingerprint" > models/.fingerprint
echo "Training took $(( $(date +%s) - start )) s."
# Keep the two newest models; older ones only take disk.
ls -t models/*.tar.gz | tail -n +3 | xargs -r rm -f
