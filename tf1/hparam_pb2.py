"""TF 1.x's HParamDef protocol buffer (contrib/training/python/training/hparam.proto), the
form HParams took in a MetaGraphDef's 'hparams' collection and in `to_proto`. contrib's
generated module is gone from TensorFlow 2.x; the same message is described here and built
by protobuf's message factory, so its wire format is TF 1.x's."""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format

__all__ = ['HParamDef']

_PROTO_FILE = text_format.Parse('''
  name: "tensorflow/contrib/training/python/training/hparam.proto"
  package: "tensorflow"
  syntax: "proto3"
  options { cc_enable_arenas: true }
  message_type {
    name: "HParamDef"
    field { name: "hparam" number: 1 label: LABEL_REPEATED type: TYPE_MESSAGE
            type_name: ".tensorflow.HParamDef.HparamEntry" json_name: "hparam" }
    nested_type {
      name: "BytesList"
      field { name: "value" number: 1 label: LABEL_REPEATED type: TYPE_BYTES }
    }
    nested_type {
      name: "FloatList"
      field { name: "value" number: 1 label: LABEL_REPEATED type: TYPE_FLOAT
              options { packed: true } }
    }
    nested_type {
      name: "Int64List"
      field { name: "value" number: 1 label: LABEL_REPEATED type: TYPE_INT64
              options { packed: true } }
    }
    nested_type {
      name: "BoolList"
      field { name: "value" number: 1 label: LABEL_REPEATED type: TYPE_BOOL
              options { packed: true } }
    }
    nested_type {
      name: "HParamType"
      field { name: "int64_value" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64
              oneof_index: 0 }
      field { name: "float_value" number: 2 label: LABEL_OPTIONAL type: TYPE_FLOAT
              oneof_index: 0 }
      field { name: "bytes_value" number: 3 label: LABEL_OPTIONAL type: TYPE_BYTES
              oneof_index: 0 }
      field { name: "bool_value" number: 7 label: LABEL_OPTIONAL type: TYPE_BOOL
              oneof_index: 0 }
      field { name: "int64_list" number: 4 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".tensorflow.HParamDef.Int64List" oneof_index: 0 }
      field { name: "float_list" number: 5 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".tensorflow.HParamDef.FloatList" oneof_index: 0 }
      field { name: "bytes_list" number: 6 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".tensorflow.HParamDef.BytesList" oneof_index: 0 }
      field { name: "bool_list" number: 8 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".tensorflow.HParamDef.BoolList" oneof_index: 0 }
      oneof_decl { name: "kind" }
    }
    nested_type {
      name: "HparamEntry"
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".tensorflow.HParamDef.HParamType" }
      options { map_entry: true }
    }
  }
''', descriptor_pb2.FileDescriptorProto())


def _message_class():
    pool = descriptor_pool.Default()
    try:  # already described (this module loaded again, by another name)
        descriptor = pool.FindMessageTypeByName('tensorflow.HParamDef')
    except KeyError:
        descriptor = pool.AddSerializedFile(
            _PROTO_FILE.SerializeToString()).message_types_by_name['HParamDef']
    return message_factory.GetMessageClass(descriptor)


HParamDef = _message_class()
