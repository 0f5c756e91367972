"""tf.contrib.saved_model (TF 1.12-1.15): save_keras_model and load_keras_model, as TF 1.x's
"Save and restore models" tutorial used them.

save_keras_model(model, saved_model_path) writes a SavedModel of the model's serving graph
(signature 'serving_default', tag 'serve') into a new timestamped directory under
saved_model_path, as TF 1.12-1.13 did, with the model's JSON config in
assets/saved_model.json, and returns that directory. load_keras_model(path) rebuilds the
model from that config and gives it the saved weights; `path` may also be the parent
directory (TF 1.14-1.15 wrote there directly): its newest export is loaded."""
import json
import os
import time

import tensorflow.compat.v1 as tf

_JSON = 'saved_model.json'
_WEIGHT_NAMES = 'saved_model_weights.json'   # tf1's: which checkpoint entry is which weight


def save_keras_model(model, saved_model_path, custom_objects=None, as_text=None,
                     input_signature=None, serving_only=False):
    """The timestamped export directory the model was saved in."""
    from tf1.api import tensorflow as tf1_api
    keras = tf1_api.keras
    if not model.built:
        raise ValueError('Weights for sequential model have not yet been created. Weights '
                         'are created when the Model is first called on inputs or `build()` '
                         'is called with an `input_shape`, or the first layer in the model '
                         'has `input_shape` during construction.')
    export_dir = os.path.join(saved_model_path, str(int(time.time())))
    while tf.gfile.Exists(export_dir):  # two exports within a second, as TF 1.x waited
        time.sleep(1)
        export_dir = os.path.join(saved_model_path, str(int(time.time())))
    session = keras.backend.get_session()
    signature = tf.saved_model.predict_signature_def(
        inputs={tensor.op.name: tensor for tensor in model.inputs},
        outputs={tensor.op.name: tensor for tensor in model.outputs})
    builder = tf.saved_model.Builder(export_dir)
    builder.add_meta_graph_and_variables(
        session, [tf.saved_model.tag_constants.SERVING], saver=tf.train.Saver(model.weights),
        signature_def_map={
            tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature})
    builder.save(as_text=bool(as_text))
    assets = os.path.join(export_dir, 'assets')
    tf.gfile.MakeDirs(assets)
    with tf.gfile.GFile(os.path.join(assets, _JSON), 'w') as f:
        f.write(model.to_json())
    with tf.gfile.GFile(os.path.join(assets, _WEIGHT_NAMES), 'w') as f:
        json.dump([weight.op.name for weight in model.weights], f)
    return export_dir.encode()


def load_keras_model(saved_model_path, custom_objects=None):
    """The Keras model saved by save_keras_model (uncompiled, as in TF 1.x)."""
    from tf1.api import tensorflow as tf1_api
    keras = tf1_api.keras
    export_dir = _export_dir(saved_model_path)
    assets = os.path.join(export_dir, 'assets')
    with tf.gfile.GFile(os.path.join(assets, _JSON)) as f:
        model = keras.models.model_from_json(f.read(), custom_objects=custom_objects)
    reader = tf.train.load_checkpoint(os.path.join(export_dir, 'variables', 'variables'))
    with tf.gfile.GFile(os.path.join(assets, _WEIGHT_NAMES)) as f:
        names = json.load(f)
    model.set_weights([reader.get_tensor(name) for name in names])
    return model


def _export_dir(path):
    path = path.decode() if isinstance(path, bytes) else path
    if tf.gfile.Exists(os.path.join(path, 'assets', _JSON)):
        return path
    exports = sorted((name for name in (tf.gfile.ListDirectory(path)
                                        if tf.gfile.IsDirectory(path) else [])
                      if name.isdigit() and tf.gfile.Exists(
                          os.path.join(path, name, 'assets', _JSON))), key=int)
    if not exports:
        raise ValueError('%s holds no Keras model that save_keras_model saved' % path)
    return os.path.join(path, exports[-1])
