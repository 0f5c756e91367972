"""tf.contrib.ndlstm (TF 1.0 until its removal), ported: multidimensional LSTMs for images
and sequences (lstm1d, lstm2d) and their helpers (misc). `tensorflow.contrib.ndlstm.python`
had all of their functions; `tf.contrib.ndlstm` the lstm1d and lstm2d modules."""
from tf1.contrib_ndlstm import lstm1d, lstm2d, misc  # noqa: F401 (its namespace)
from tf1.contrib_ndlstm.lstm1d import (  # noqa: F401 (its namespace)
    ndlstm_base, ndlstm_base_dynamic, ndlstm_base_unrolled, sequence_softmax, sequence_to_final)
from tf1.contrib_ndlstm.lstm2d import (  # noqa: F401 (its namespace)
    get_blocks, horizontal_lstm, images_to_sequence, reduce_to_final, reduce_to_sequence,
    separable_lstm, sequence_to_images)
from tf1.contrib_ndlstm.misc import (  # noqa: F401 (its namespace)
    one_hot_mask, one_hot_planes, pixels_as_vector, pool_as_vector)
