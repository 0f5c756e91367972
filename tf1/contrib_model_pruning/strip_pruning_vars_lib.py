"""model_pruning's export (TF 1.15's contrib/model_pruning/python/strip_pruning_vars_lib.py
and strip_pruning_vars.py): a frozen graph whose masked weights are constants (the
weights times their masks), without the mask and threshold variables."""
import numpy as np
import tensorflow.compat.v1 as tf


def _get_masked_weights(input_graph_def):
    """{node name: value} of every `.../masked_weight` in the frozen graph."""
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(input_graph_def, name='')
        with tf.Session(graph=graph) as sess:
            values = {}
            for node in input_graph_def.node:
                if 'masked_weight' in node.name:
                    value = sess.run(node.name + ':0')
                    tf.logging.info('%s has %d values, %1.2f%% zeros \n', node.name,
                                    np.size(value),
                                    100 - 100.0 * np.count_nonzero(value) / np.size(value))
                    values[node.name] = value
    return values


def strip_pruning_vars_fn(input_graph_def, output_node_names):
    """`input_graph_def` (variables already constants: convert_variables_to_constants's)
    with each masked weight a constant, and what only fed them (masks, thresholds,
    the unmasked weights) dropped: the subgraph of `output_node_names`."""
    values = _get_masked_weights(input_graph_def)
    pruned = tf.GraphDef()
    for node in input_graph_def.node:
        output = pruned.node.add()
        if 'masked_weight' in node.name:
            output.op, output.name = 'Const', node.name
            output.attr['dtype'].CopyFrom(node.attr['T'])
            output.attr['value'].CopyFrom(tf.AttrValue(
                tensor=tf.make_tensor_proto(values[node.name])))
        else:
            output.CopyFrom(node)
    return tf.graph_util.extract_sub_graph(pruned, output_node_names)


def graph_def_from_checkpoint(checkpoint_dir, output_node_names):
    """The latest checkpoint in `checkpoint_dir`'s graph (its meta graph) with its
    variables as constants."""
    checkpoint_path = tf.train.latest_checkpoint(checkpoint_dir)
    if checkpoint_path is None:
        raise ValueError('Could not find a checkpoint at: {0}.'.format(checkpoint_dir))
    with tf.Graph().as_default() as graph:
        saver = tf.train.import_meta_graph(checkpoint_path + '.meta', clear_devices=True)
        with tf.Session(graph=graph) as sess:
            saver.restore(sess, checkpoint_path)
            return tf.graph_util.convert_variables_to_constants(
                sess, graph.as_graph_def(), output_node_names)


def strip_pruning_vars(checkpoint_dir, output_node_names, output_dir, filename):
    """strip_pruning_vars.py's: the stripped graph of the latest checkpoint, written as
    `output_dir/filename` (a binary GraphDef)."""
    frozen = graph_def_from_checkpoint(checkpoint_dir, output_node_names)
    tf.io.write_graph(strip_pruning_vars_fn(frozen, output_node_names), output_dir,
                      filename, as_text=False)
