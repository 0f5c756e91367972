"""tf.contrib.model_pruning (TF 1.7-1.15): magnitude-based weight pruning, ported from TF
1.15 (pruning.py says how): masked conv2d and fully connected layers, apply_mask for any
weight, masked LSTM cells, the Pruning schedule that updates the masks, slim's training
loop with it, and the export of a frozen graph without the masks (strip_pruning_vars)."""
from tf1.contrib_model_pruning.core_layers import (  # noqa: F401 (its namespace)
    MASK_COLLECTION, MASKED_WEIGHT_COLLECTION, MASKED_WEIGHT_NAME, THRESHOLD_COLLECTION,
    WEIGHT_COLLECTION, MaskedConv2D, MaskedFullyConnected)
from tf1.contrib_model_pruning.layers import (  # noqa: F401 (its namespace)
    masked_conv2d, masked_convolution, masked_fully_connected)
from tf1.contrib_model_pruning.learning import train  # noqa: F401 (its namespace)
from tf1.contrib_model_pruning.rnn_cells import (  # noqa: F401 (its namespace)
    MaskedBasicLSTMCell, MaskedLSTMCell)
from tf1.contrib_model_pruning.strip_pruning_vars_lib import (  # noqa: F401 (its namespace)
    graph_def_from_checkpoint, strip_pruning_vars_fn)
from tf1.contrib_model_pruning.pruning import (  # noqa: F401 (its namespace)
    Pruning, apply_mask, get_masked_weights, get_masks, get_pruning_hparams, get_thresholds,
    get_weight_sparsity, get_weights)
