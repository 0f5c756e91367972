"""TF 1.x's op_def_registry.get_registered_ops(), which TF 2.x removed for a lookup by name
(`op_def_registry.get`): K-FAC's graph patterns list every op's name with it at import."""
from tensorflow.core.framework import op_def_pb2
from tensorflow.python.client import pywrap_tf_session as c_api


def get_registered_ops():
    """{op name: OpDef} of every op registered in this process, a new dict at each call
    (TF 1.x's was its live registry of the ops whose Python wrappers had loaded: fewer)."""
    buffer = c_api.TF_GetAllOpList()
    try:
        op_list = op_def_pb2.OpList.FromString(c_api.TF_GetBuffer(buffer))
    finally:
        c_api.TF_DeleteBuffer(buffer)
    return {op_def.name: op_def for op_def in op_list.op}
