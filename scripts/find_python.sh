#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs 3.10), or exits 1 with a message.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
for cand in "${PYTHON310:-}" python3.10; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in $(ls -d "$root"/versions/3.10* 2>/dev/null | sort -rV); do
    if ok "$dir/bin/python"; then echo "$dir/bin/python"; exit 0; fi
  done
fi
echo "No Python 3.10 found. Rasa 3.6 needs Python 3.10: install it (e.g. 'pyenv install 3.10.13')" \
     "or set PYTHON310=/path/to/python3.10." >&2
exit 1
