#!/usr/bin/env bash
# Every benchmark, one after the other; each waits for a quiet machine (1-minute load
# average below 0.7, or under 0.1 cores busy over 10 s) before it measures, and writes
# bench/results/NAME.{json,md}.
#
#   bench/run_all.sh            the real figures (about 40 minutes on 2 cores)
#   bench/run_all.sh --quick    a smoke test of every script (a few minutes; figures are noise)
#
# Extra arguments go to every script (e.g. --threads 1, --max_load 1.0).
# Needs the benchmark-only dependencies: .venv/bin/pip install -r requirements-bench.txt
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
SCRIPTS=(time_to_accuracy train_speed lstm_speed inference serving load)
for script in "${SCRIPTS[@]}"; do
  echo "== bench/$script.py $*" >&2
  "$PYTHON" "bench/$script.py" "$@"
done
for script in "${SCRIPTS[@]}"; do cat "bench/results/$script.md"; done > bench/results/all.md
echo "All tables: bench/results/all.md" >&2
