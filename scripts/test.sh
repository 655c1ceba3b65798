#!/usr/bin/env bash
# pytest (unit tests, tests on the trained model, servers, browser) then rasa test core.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export HARBOR_TEST_POSTGRES_URL="${HARBOR_TEST_POSTGRES_URL-postgresql://postgres@127.0.0.1:5432/test}"
export HARBOR_TEST_REDIS_URL="${HARBOR_TEST_REDIS_URL-redis://127.0.0.1:6379/0}"
mkdir -p tests/artifacts

run_pytest() {
  set +e
  .venv/bin/pytest -p no:cacheprovider "$@"
  local rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests in '$*': that is a failure, not a pass." >&2
    exit 1
  elif [ "$rc" -ne 0 ]; then
    exit "$rc"
  fi
}

if [ -n "${PYTEST_ARGS:-}" ]; then
  # PYTEST_ARGS narrows the run, e.g. PYTEST_ARGS="tests/safety -x" make test
  run_pytest $PYTEST_ARGS
else
  run_pytest tests --ignore=tests/browser
  # Playwright's sync API keeps an event loop running in the main thread for as long as
  # the browser lives, which breaks asyncio tests after it: browser tests get their own run.
  run_pytest tests/browser
fi

model=$(ls -t models/*.tar.gz | head -1)
echo "rasa test core on tests/stories with $model"
.venv/bin/rasa test core --stories tests/stories --model "$model" --endpoints endpoints.yml \
  --fail-on-prediction-errors --out var/results/core --quiet
