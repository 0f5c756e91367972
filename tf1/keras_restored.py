"""Keras API that TF 1.x's tf.keras and standalone Keras 2 had and tf_keras removed, put
back on tf_keras's own classes when mapped code first reaches Keras (tf1/api.py).

Sequential.predict_classes and predict_proba: scripts of the time ended with
`model.predict_classes(x_test)`; TF 2.3 deprecated both and TF 2.6 removed them. They are
added to tf_keras's Sequential itself, so that a model from `load_model` has them too, and
only where it has no method of that name.

tf_keras's warnings that TF 1.x's Keras never printed are off: they advise leaving TF 1.x
(`Model.state_updates` in every v1 `fit`, HDF5 as "legacy" in `model.save('m.h5')`), as
the runner's other deprecation notices are (tf1/api.py, enter_graph_mode)."""
import logging
import warnings

from tf_keras.src.engine import sequential

warnings.filterwarnings('ignore', message='`Model.state_updates` will be removed',
                        category=UserWarning)
warnings.filterwarnings('ignore', message='You are saving your model as an HDF5 file',
                        category=UserWarning)


def predict_proba(self, x, batch_size=32, verbose=0):
    """The model's outputs, which should be probabilities (a softmax or sigmoid output)."""
    probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
    if probabilities.min() < 0. or probabilities.max() > 1.:
        logging.warning('Network returning invalid probability values. The last layer might '
                        'not normalize predictions into probabilities (like softmax or '
                        'sigmoid would).')
    return probabilities


def predict_classes(self, x, batch_size=32, verbose=0):
    """Class indices: the argmax of a softmax output, or a sigmoid output above 0.5."""
    probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
    if probabilities.shape[-1] > 1:
        return probabilities.argmax(axis=-1)
    return (probabilities > 0.5).astype('int32')


for _name, _method in (('predict_proba', predict_proba), ('predict_classes', predict_classes)):
    if not hasattr(sequential.Sequential, _name):
        setattr(sequential.Sequential, _name, _method)
