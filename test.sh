#!/usr/bin/env bash
# Runs the whole test suite. On first use it creates .venv, installs what the tests need,
# and installs Debian's chromium for the browser test (which skips if that is impossible).
# Real-data tests run when MNIST_DATA_DIR (default ../shared/mnist) holds MNIST.
source "$(dirname "$0")/scripts/venv.sh" requirements-dev.txt
bash scripts/install_browser.sh >/dev/null 2>&1 ||
  echo "note: could not install chromium; the browser test will be skipped"
exec python -m pytest "$@"
