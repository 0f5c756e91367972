#!/usr/bin/env bash
# The main job (creates .venv and installs requirements on first use).
# Trains the models on MNIST from $MNIST_DATA_DIR (default MNIST_data/, downloaded when
# missing) and says where the checkpoints and event logs went.
source "$(dirname "$0")/scripts/venv.sh" requirements.txt
for model in regression nn; do
  python "train_$model.py" "$@"
done
echo "Checkpoints: model/<name>/   TensorBoard logs: eventlog/<name>/   (tensorboard --logdir eventlog)"
