"""keras.wrappers.scikit_learn, as TF 1.x's tf.keras and standalone Keras 2 had it: a Keras
model as a scikit-learn estimator (KerasClassifier, KerasRegressor) for cross_val_score,
GridSearchCV and pipelines. tf_keras dropped it (its successor is the scikeras package);
this is the same API and behaviour on tf_keras's models. Today's scikit-learn (1.6 on) only
takes estimators that carry its tags, so where it is installed the wrappers are its
BaseEstimator and classifier/regressor mixins (TF 1.x's were plain objects, which it then
accepted); without it they still import and run.

`build_fn` makes a compiled model: a function, an object with `__call__`, or None for a
subclass whose own `__call__` builds it. `sk_params` holds both its arguments and those of
fit, predict and evaluate (epochs, batch_size ...); each call takes the ones it accepts."""
import copy
import inspect
import types

import numpy as np
from tf_keras.api._v1.keras.models import Sequential
from tf_keras.api._v1.keras.utils import to_categorical
from tf_keras.src.losses import is_categorical_crossentropy

import tf1.keras_restored  # Sequential.predict_classes and predict_proba, which these call

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
except ImportError:
    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass


def _accepts(function, name):
    """Whether `function` has a parameter called `name` (not merely **kwargs)."""
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


class BaseWrapper(BaseEstimator):
    """What KerasClassifier and KerasRegressor share: parameters, and fit."""

    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _builder(self):
        if self.build_fn is None:
            return self.__call__
        if not isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            return self.build_fn.__call__
        return self.build_fn

    def check_params(self, params):
        """Refuses a parameter that neither the builder nor fit/predict/evaluate takes."""
        legal = [Sequential.fit, Sequential.predict, Sequential.predict_classes,
                 Sequential.evaluate, self._builder()]
        for name in params:
            if name != 'nb_epoch' and not any(_accepts(function, name) for function in legal):
                raise ValueError('{} is not a legal parameter'.format(name))

    def get_params(self, **params):
        """The parameters, for scikit-learn's clone (`params` is ignored, as in its API)."""
        result = copy.deepcopy(self.sk_params)
        result.update({'build_fn': self.build_fn})
        return result

    def set_params(self, **params):
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, function, override=None):
        """The sk_params that `function` accepts, updated with `override`."""
        result = {name: value for name, value in self.sk_params.items()
                  if _accepts(function, name)}
        result.update(override or {})
        return result

    def fit(self, x, y, **kwargs):
        """Builds a new model and fits it to (x, y); returns its History."""
        builder = self._builder()
        self.model = builder(**self.filter_sk_params(builder))
        if is_categorical_crossentropy(self.model.loss) and len(y.shape) != 2:
            y = to_categorical(y)
        fit_args = copy.deepcopy(self.filter_sk_params(Sequential.fit))
        fit_args.update(kwargs)
        return self.model.fit(x, y, **fit_args)


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """The scikit-learn classifier API: labels of any values in, the same values out."""

    def fit(self, x, y, **kwargs):
        y = np.array(y)
        if len(y.shape) == 2 and y.shape[1] > 1:  # one-hot
            self.classes_ = np.arange(y.shape[1])
        elif (len(y.shape) == 2 and y.shape[1] == 1) or len(y.shape) == 1:
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError('Invalid shape for y: ' + str(y.shape))
        self.n_classes_ = len(self.classes_)
        return super(KerasClassifier, self).fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict_classes, kwargs)
        return self.classes_[self.model.predict_classes(x, **kwargs)]

    def predict_proba(self, x, **kwargs):
        """[n, classes] probabilities; [n, 2] for one sigmoid output, as scikit-learn has it."""
        kwargs = self.filter_sk_params(Sequential.predict_proba, kwargs)
        probabilities = self.model.predict_proba(x, **kwargs)
        if probabilities.shape[1] == 1:
            probabilities = np.hstack([1 - probabilities, probabilities])
        return probabilities

    def score(self, x, y, **kwargs):
        """The model's accuracy metric on (x, y): compile it with metrics=['accuracy']."""
        y = np.searchsorted(self.classes_, y)
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss_name = getattr(self.model.loss, '__name__', self.model.loss)
        if loss_name == 'categorical_crossentropy' and len(y.shape) != 2:
            y = to_categorical(y)
        outputs = self.model.evaluate(x, y, **kwargs)
        if not isinstance(outputs, list):
            outputs = [outputs]
        for name, output in zip(self.model.metrics_names, outputs):
            if name in ('accuracy', 'acc'):
                return output
        raise ValueError('The model is not configured to compute accuracy. You should pass '
                         '`metrics=["accuracy"]` to the `model.compile()` method.')


class KerasRegressor(RegressorMixin, BaseWrapper):
    """The scikit-learn regressor API; score is the negated loss (greater is better)."""

    def predict(self, x, **kwargs):
        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        predictions = np.array(self.model.predict(x, **kwargs))
        if predictions.shape[-1] == 1:
            return np.squeeze(predictions, axis=-1)
        return predictions

    def score(self, x, y, **kwargs):
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = self.model.evaluate(x, y, **kwargs)
        return -loss[0] if isinstance(loss, list) else -loss
