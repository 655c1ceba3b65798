#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one.
# Rasa Open Source 3.6 installs on 3.10 but not on 3.11 or newer.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
for name in python3.10 python3 python; do
  command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for dir in "$pyenv_root"/versions/3.10*/bin /root/.pyenv/versions/3.10*/bin /usr/local/bin /usr/bin; do
  [ -x "$dir/python3.10" ] && candidates+=("$dir/python3.10")
  [ -x "$dir/python" ] && candidates+=("$dir/python")
done

for py in "${candidates[@]}"; do
  if is_310 "$py"; then
    echo "$py"
    exit 0
  fi
done

cat >&2 <<'MSG'
Harbor needs Python 3.10 (Rasa Open Source 3.6 does not install on 3.11 or newer).
None was found on PATH or under pyenv. Install one, then run make again:
  pyenv install 3.10.13            # with pyenv
  apt-get install python3.10-venv  # on Debian/Ubuntu releases that ship 3.10
Or point Harbor at one directly:  make install PYTHON310=/path/to/python3.10
MSG
exit 1
