#!/usr/bin/env bash
# Runs the whole test suite (creates .venv and installs what the tests need on first use).
# Real-data tests run when MNIST_DATA_DIR (default ../shared/mnist) holds MNIST.
source "$(dirname "$0")/scripts/venv.sh" requirements-dev.txt
exec python -m pytest "$@"
