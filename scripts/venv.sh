# Sourced by the top-level commands: make sure .venv exists and holds what the
# requirements files ask for, then put it first on PATH.
# Re-installs only when a requirements file changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
REQUIREMENTS="${1:-requirements.txt}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV ..."
  python3 -m venv "$VENV"
fi
stamp="$VENV/.installed-$(basename "$REQUIREMENTS")"
wanted="$(cat "$ROOT"/requirements*.txt "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing $REQUIREMENTS into $VENV ..."
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/$REQUIREMENTS"
  # The project itself, editable: `python -m tf1 SCRIPT.py` then works from any directory.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
  echo "$wanted" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
