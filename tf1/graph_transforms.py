"""tensorflow.tools.graph_transforms, TF 1.x's Python entry to the Graph Transform Tool
(`TransformGraph(graph_def, inputs, outputs, ['strip_unused_nodes', 'fold_constants'])`,
how TF 1.x code shrank a frozen graph for serving). TF 2.x dropped the module but still
ships the tool itself (_pywrap_transform_graph): this is TF 1.15's wrapper on it, its errors
TF 1.x's InvalidArgumentError, as its status gave them, not TF 2.x's ValueError."""
from tensorflow.core.framework import graph_pb2
from tensorflow.python.framework import errors
from tensorflow.python.util import compat
from tensorflow.python.util._pywrap_transform_graph import TransformGraphWithStringInputs


def TransformGraph(input_graph_def, inputs, outputs, transforms):
    """A new GraphDef: `input_graph_def` with `transforms` (names with their parameters,
    'fold_constants(ignore_errors=true)') applied, `inputs` and `outputs` node names."""
    try:
        output = TransformGraphWithStringInputs(
            input_graph_def.SerializeToString(), compat.as_bytes(','.join(inputs)),
            compat.as_bytes(','.join(outputs)), compat.as_bytes(' '.join(transforms)))
    except ValueError as error:
        raise errors.InvalidArgumentError(None, None, str(error)) from None
    output_graph_def = graph_pb2.GraphDef()
    output_graph_def.ParseFromString(output)
    return output_graph_def
