"""What slim's Inception networks share: each written as a table of end points, an end point
either one layer or a Mixed block (branches `Branch_<k>`, each layers applied in turn,
concatenated along the channels), and the loop that builds such a table up to a final end
point."""
import tensorflow.compat.v1 as tf

from tf1.contrib_layers import avg_pool2d, conv2d, max_pool2d


def conv(depth, kernel, scope, **options):
    return ('conv', depth, kernel, scope, options)


def avg_pool(kernel, scope, **options):
    return ('avg', None, kernel, scope, options)


def max_pool(kernel, scope, **options):
    return ('max', None, kernel, scope, options)


def parallel(*layers):
    """Layers applied to the same input, their outputs concatenated."""
    return ('parallel', None, None, None, layers)


def mixed(end_point, branches):
    """A Mixed block: its end point and its branches, each a list of layers."""
    return ('mixed', None, None, end_point, branches)


def _apply(net, layer, depth):
    kind, channels, kernel, scope, options = layer
    if kind == 'conv':
        return conv2d(net, depth(channels), kernel, scope=scope, **options)
    if kind == 'parallel':
        return tf.concat([_apply(net, inner, depth) for inner in options], 3)
    if kind == 'mixed':
        with tf.variable_scope(scope):
            outputs = []
            for k, branch in enumerate(options):
                with tf.variable_scope('Branch_%d' % k):
                    output = net
                    for inner in branch:
                        output = _apply(output, inner, depth)
                    outputs.append(output)
            return tf.concat(outputs, 3)
    pool = avg_pool2d if kind == 'avg' else max_pool2d
    return pool(net, kernel, scope=scope, **options)


def build(net, table, end_points, final_endpoint, depth=lambda channels: channels):
    """Each end point of `table` in turn on `net`, recorded in `end_points`: (the output,
    True) once `final_endpoint` is built, else (the last output, False). `depth` maps each
    convolution's channels (Inception v3's depth_multiplier)."""
    for layer in table:
        net = end_points[layer[3]] = _apply(net, layer, depth)
        if layer[3] == final_endpoint:
            return net, True
    return net, False
