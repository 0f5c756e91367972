"""slim.model_analyzer: what a model's variables and ops hold, printed as TF 1.x's
tensorflow/contrib/slim/python/slim/model_analyzer.py printed it."""
__all__ = ['analyze_ops', 'analyze_vars', 'tensor_description']


def tensor_description(var):
    """'(float32_ref 5x5x1x32)': the dtype, then the shape ('None' where unknown)."""
    description = '(' + str(var.dtype.name) + ' '
    sizes = var.get_shape()
    for i, size in enumerate(sizes):
        description += str(size)
        if i < len(sizes) - 1:
            description += 'x'
    return description + ')'


def analyze_ops(graph, print_info=False):
    """The total size of the outputs of `graph`'s ops, each op printed with `print_info`."""
    if print_info:
        _print_header('Operations: name -> (type shapes) [size]')
    total_size = 0
    for op in graph.get_operations():
        op_size = 0
        shapes = []
        for output in op.outputs:
            output_size = output.get_shape().num_elements() or 0
            if output.get_shape():
                shapes.append(tensor_description(output))
            op_size += output_size
        if print_info:
            print(op.name, '\t->', ', '.join(shapes), '[' + str(op_size) + ']')
        total_size += op_size
    return total_size


def analyze_vars(variables, print_info=False):
    """(total parameters, total bytes) of `variables`, each printed with `print_info`."""
    if print_info:
        _print_header('Variables: name (type shape) [size]')
    total_size = 0
    total_bytes = 0
    for var in variables:
        var_size = var.get_shape().num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), '[%d, bytes: %d]' % (var_size, var_bytes))
    if print_info:
        print('Total size of variables: %d' % total_size)
        print('Total bytes of variables: %d' % total_bytes)
    return total_size, total_bytes


def _print_header(title):
    print('---------')
    print(title)
    print('---------')
