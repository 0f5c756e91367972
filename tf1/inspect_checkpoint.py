"""tensorflow.python.tools.inspect_checkpoint's print_tensors_in_checkpoint_file as TF 1.x
printed (`tensor_name:  v1`, then the value: what the TF 1.x guides show); TF 2.x prints
`tensor: v1 (float32) [3]` instead. The rest of the module is TensorFlow's."""
from tensorflow.python.tools import inspect_checkpoint as _tf_inspect_checkpoint
from tensorflow.python.training import py_checkpoint_reader


def print_tensors_in_checkpoint_file(file_name, tensor_name, all_tensors,
                                     all_tensor_names=False, count_exclude_pattern=''):
    """Prints the tensors of a checkpoint: every name (and value, with all_tensors), or
    `tensor_name`'s value, or without either the checkpoint's debug string; then the
    number of parameters."""
    try:
        reader = py_checkpoint_reader.NewCheckpointReader(file_name)
        if all_tensors or all_tensor_names:
            for key in sorted(reader.get_variable_to_shape_map()):
                print('tensor_name: ', key)
                if all_tensors:
                    print(reader.get_tensor(key))
        elif not tensor_name:
            print(reader.debug_string().decode('utf-8'))
        else:
            print('tensor_name: ', tensor_name)
            print(reader.get_tensor(tensor_name))
        print('# Total number of params: %d' % _tf_inspect_checkpoint._count_total_params(
            reader, count_exclude_pattern=count_exclude_pattern))
    except Exception as error:  # as TF 1.x: the reason printed, with a hint where it helps
        print(str(error))
        if 'corrupted compressed block contents' in str(error):
            print("It's likely that your checkpoint file has been compressed with SNAPPY.")
        if 'Data loss' in str(error) and any(
                suffix in file_name for suffix in ('.index', '.meta', '.data')):
            print("\nIt's likely that this is a V2 checkpoint and you need to provide the "
                  "filename\n*prefix*.  Try removing the '.' and extension.  Try:\n"
                  "inspect checkpoint --file_name = {}".format(
                      '.'.join(file_name.split('.')[0:-1])))
