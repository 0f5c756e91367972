"""TF 1.x's nest (tf.contrib.framework.nest, tensorflow.python.util.nest) where it differs
from TF 2.x's: pack_sequence_as refuses what it cannot pack with TF 1.x's errors, whose
words tests matched (Sonnet 1's nest_test); TF 2.x raises the same types, worded anew."""
from tensorflow.python.util import nest


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`flat_sequence` packed into the shape of `structure` (TensorFlow's own), after TF
    1.15's checks (tensorflow/python/util/nest.py) and in its words."""
    if not nest.is_nested(flat_sequence):
        raise TypeError('flat_sequence must be a sequence')
    if not nest.is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError('Structure is a scalar but len(flat_sequence) == %d > 1'
                             % len(flat_sequence))
        return flat_sequence[0]
    flat_structure = nest.flatten(structure, expand_composites=expand_composites)
    if len(flat_structure) != len(flat_sequence):
        raise ValueError('Could not pack sequence. Structure had %d elements, but '
                         'flat_sequence had %d elements.  Structure: %s, flat_sequence: %s.'
                         % (len(flat_structure), len(flat_sequence), structure, flat_sequence))
    return nest.pack_sequence_as(structure, flat_sequence, expand_composites=expand_composites)
