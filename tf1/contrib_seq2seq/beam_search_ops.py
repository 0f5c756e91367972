"""The tensor operations beams are made of (TF 1.15's beam_search_ops.py and the helpers
beam_search_decoder.py kept beside it): tile_batch repeats the encoder's outputs and state
for each beam; gather_tree (TF 1.x's own C++ op, here a tf.scan over time) follows the
parent ids back to read out each beam whole, gather_tree_from_array a TensorArray of the
cell state the same way; the gather helpers pick each beam's parent's rows."""
import tensorflow.compat.v1 as tf

__all__ = ['gather_tree', 'gather_tree_from_array', 'tile_batch']


def check_ndims(t):
    if t.shape.ndims is None:
        raise ValueError('Expected tensor (%s) to have known rank, but ndims == None.' % t)


def _tile_batch(t, multiplier):
    t = tf.convert_to_tensor(t, name='t')
    shape_t = tf.shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError('t must have statically known rank')
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    static_batch = tf.compat.dimension_value(t.shape[0])
    tiled = tf.tile(tf.expand_dims(t, 1), tiling)
    tiled = tf.reshape(tiled, tf.concat(([shape_t[0] * multiplier], shape_t[1:]), 0))
    tiled.set_shape(tf.TensorShape([static_batch * multiplier if static_batch is not None
                                    else None]).concatenate(t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Each batch entry of `t` (a structure of tensors) repeated `multiplier` times in a
    row: [t[0], t[0], ..., t[1], t[1], ...], as the beams of BeamSearchDecoder need it."""
    flat_t = tf.nest.flatten(t)
    with tf.name_scope(name, 'tile_batch', flat_t + [multiplier]):
        return tf.nest.map_structure(lambda t_: _tile_batch(t_, multiplier), t)


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """Each beam's ids from its first step ([time, batch, beam_width]), following
    `parent_ids` back from each batch entry's last step (`max_sequence_lengths`); after
    a beam's first `end_token`, and past its entry's length, only `end_token`. TF 1.x's
    GatherTree op, written with tf ops."""
    with tf.name_scope(name, 'GatherTree',
                       [step_ids, parent_ids, max_sequence_lengths, end_token]):
        step_ids = tf.convert_to_tensor(step_ids, name='step_ids')
        parent_ids = tf.convert_to_tensor(parent_ids, dtype=step_ids.dtype, name='parent_ids')
        max_sequence_lengths = tf.convert_to_tensor(max_sequence_lengths, dtype=tf.int32,
                                                    name='max_sequence_lengths')
        end_token = tf.convert_to_tensor(end_token, dtype=step_ids.dtype, name='end_token')
        shape = tf.shape(step_ids)
        max_time, batch_size, beam_width = shape[0], shape[1], shape[2]
        ends = tf.fill([batch_size, beam_width], end_token)

        def back(carried, elems):
            beams, _ = carried  # the beam each sequence is in at this step
            time, ids, parents = elems
            valid = tf.expand_dims(time < max_sequence_lengths, 1)
            return (tf.where_v2(valid, tf.gather(parents, beams, batch_dims=1), beams),
                    tf.where_v2(valid, tf.gather(ids, beams, batch_dims=1), ends))

        identity = tf.tile(tf.expand_dims(tf.range(beam_width, dtype=step_ids.dtype), 0),
                           [batch_size, 1])
        _, backwards = tf.scan(back, (tf.range(max_time - 1, -1, -1),
                                      tf.reverse(step_ids, [0]), tf.reverse(parent_ids, [0])),
                               initializer=(identity, ends))
        beams = tf.reverse(backwards, [0])
        ended = tf.cumsum(tf.cast(tf.equal(beams, end_token), tf.int32), axis=0,
                          exclusive=True) > 0
        beams = tf.where_v2(ended, end_token, beams)
        beams.set_shape(step_ids.shape)
        return beams


def gather_tree_from_array(t, parent_ids, sequence_length):
    """A stacked TensorArray [time, batch * beam_width or batch, beam_width, ...] with
    each step's beams put in the order gather_tree reads them back."""
    max_time = (tf.compat.dimension_value(parent_ids.shape[0]) or tf.shape(parent_ids)[0])
    batch_size = (tf.compat.dimension_value(parent_ids.shape[1]) or tf.shape(parent_ids)[1])
    beam_width = (tf.compat.dimension_value(parent_ids.shape[2]) or tf.shape(parent_ids)[2])
    beam_ids = tf.tile(tf.expand_dims(tf.expand_dims(tf.range(beam_width), 0), 0),
                       [max_time, batch_size, 1])
    max_sequence_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1), tf.int32)
    sorted_beam_ids = gather_tree(step_ids=beam_ids, parent_ids=parent_ids,
                                  max_sequence_lengths=max_sequence_lengths,
                                  end_token=beam_width + 1)
    # Steps past a beam's length keep their own beam.
    in_bound_steps = tf.transpose(tf.sequence_mask(sequence_length, maxlen=max_time),
                                  perm=[2, 0, 1])
    sorted_beam_ids = tf.where(in_bound_steps, x=sorted_beam_ids, y=beam_ids)
    time_ind = tf.tile(tf.reshape(tf.range(max_time), [-1, 1, 1]),
                       [1, batch_size, beam_width])
    batch_ind = tf.transpose(tf.tile(tf.reshape(tf.range(batch_size), [-1, 1, 1]),
                                     [1, max_time, beam_width]), perm=[1, 0, 2])
    indices = tf.stack([time_ind, batch_ind, sorted_beam_ids], -1)
    final_shape = tf.shape(t)
    gathered = tf.gather_nd(tf.reshape(t, [max_time, batch_size, beam_width, -1]), indices)
    return tf.reshape(gathered, final_shape)


def maybe_tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                gather_shape):
    if isinstance(gather_from, tf.TensorArray):
        return gather_from
    check_ndims(gather_from)
    if gather_from.shape.ndims >= len(gather_shape):
        return tensor_gather_helper(gather_indices=gather_indices, gather_from=gather_from,
                                     batch_size=batch_size, range_size=range_size,
                                     gather_shape=gather_shape)
    return gather_from


def tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape,
                          name=None):
    """gather_from's rows at `gather_indices` within each batch entry's range."""
    with tf.name_scope(name, 'tensor_gather_helper'):
        range_ = tf.expand_dims(tf.range(batch_size) * range_size, 1)
        gather_indices = tf.reshape(gather_indices + range_, [-1])
        output = tf.gather(tf.reshape(gather_from, gather_shape), gather_indices)
        final_shape = tf.shape(gather_from)[:1 + len(gather_shape)]
        final_static_shape = tf.TensorShape([tf.get_static_value(batch_size)]).concatenate(
            gather_from.shape[1:1 + len(gather_shape)])
        output = tf.reshape(output, final_shape, name='output')
        output.set_shape(final_static_shape)
        return output
