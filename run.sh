#!/usr/bin/env bash
# The main job (creates .venv and installs requirements on first use):
#   ./run.sh            serve every model in model/ to the drawing page:
#                       the page on http://127.0.0.1:8000, predictions from :8888
#   ./run.sh train      (re)train all seven models with their default flags on MNIST from
#                       $MNIST_DATA_DIR (default MNIST_data/, downloaded when missing);
#                       a model trained here before resumes, or if finished only has its
#                       serving copy rewritten: ./run.sh train --fresh starts them over;
#                       then choose_ensemble.py chooses how the server combines them,
#                       and the event logs are made small enough to ship in git
#                       (scripts/ship_eventlog.py eventlog)
#   ./run.sh tensorboard   TensorBoard on eventlog/, on http://127.0.0.1:6006
# Extra arguments go to predict_server.py (serve), to every train_*.py (train) or to
# tensorboard.
source "$(dirname "$0")/scripts/venv.sh" requirements.txt
MODELS="regression nn cnn lstm cnn_lstm lenet5 crnn"

if [ "${1:-}" = "train" ]; then
  shift
  for model in $MODELS; do
    python "train_$model.py" "$@" || exit 1
  done
  split=()  # the ensemble is chosen on the validation split the models held out
  while [ $# -gt 0 ]; do
    case "$1" in
      --data_dir|--validation_size) split+=("$1" "$2"); shift ;;
      --data_dir=*|--validation_size=*) split+=("$1") ;;
    esac
    shift
  done
  python choose_ensemble.py "${split[@]}" || exit 1
  python scripts/ship_eventlog.py eventlog || exit 1
  echo "Checkpoints: model/<name>/, model/ensemble.json   TensorBoard logs: eventlog/<name>/   (./run.sh tensorboard)"
  exit 0
fi

if [ "${1:-}" = "tensorboard" ]; then
  shift
  exec tensorboard --logdir eventlog --host 127.0.0.1 --port 6006 "$@"
fi

WEB_PORT="${WEB_PORT:-8000}"
python -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web >/dev/null 2>&1 &
web_server=$!
trap 'kill $web_server 2>/dev/null' EXIT
echo "Drawing page: http://127.0.0.1:$WEB_PORT/   (Ctrl-C stops both servers)"
python predict_server.py "$@"
