"""The project's library: the MNIST loader, the shared graph pieces, one module per model,
and the training loop every train_*.py script shares.

Importing the package imports no module: each module is loaded only by those who need it
(the predict server, for one, must not pull in model-building code)."""

import os

# Set before any module of the package imports TensorFlow, which reads it once: hides the
# C++ runtime's INFO and WARNING lines (such as "GPU trace was not collected" at every
# FULL_TRACE step on a CPU machine) that would bury the progress lines. Errors still show;
# an explicit setting wins.
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
