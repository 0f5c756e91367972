"""TF 1.x's contrib/learn/python/learn/estimators/_sklearn.py, what contrib.learn's
estimators took to act as scikit-learn estimators (a Pipeline's last step, GridSearchCV's
model): get_params and set_params over their public attributes, `step__name` for nested ones,
as TF 1.15 had them; what today's scikit-learn (1.6 on) asks every estimator: its tags (where
scikit-learn is installed) and whether it is fitted. Also the module's other names, which TF
1.x code and contrib.learn's own tests imported from it: its NumPy stand-ins for scikit-
learn's accuracy_score, mean_squared_error and train_test_split (TF 1.x used them unless
$TENSORFLOW_SKLEARN was set), the mixins and NotFittedError."""
import numpy as np

__all__ = ['BaseEstimator', 'ClassifierMixin', 'RegressorMixin', 'TransformerMixin',
           'NotFittedError', 'accuracy_score', 'log_loss', 'mean_squared_error',
           'train_test_split']


class BaseEstimator:
    """get_params and set_params for an object whose public attributes are its
    parameters."""

    def get_params(self, deep=True):
        """{name: value} of the public attributes that are not functions; with `deep`,
        also `name__sub` for each one's own parameters."""
        params = {}
        for name in [name for name in self.__dict__ if not name.startswith('_')]:
            value = getattr(self, name, None)
            if callable(value):
                continue
            if deep and hasattr(value, 'get_params'):
                params.update((name + '__' + key, sub_value)
                              for key, sub_value in value.get_params().items())
            params[name] = value
        return params

    def set_params(self, **params):
        """Sets each `name` (or `name__sub` of a nested estimator); an unknown name is a
        ValueError. Returns the estimator."""
        valid = self.get_params(deep=True)
        for key, value in params.items():
            name, _, sub_name = key.partition('__')
            if name not in valid:
                raise ValueError('Invalid parameter %s for estimator %s'
                                 % (name, type(self).__name__))
            if sub_name:
                valid[name].set_params(**{sub_name: value})
            else:
                setattr(self, key, value)
        return self

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, ', '.join(
            '%s=%s' % item for item in self.get_params(deep=False).items()))


class ScikitLearnParameters(BaseEstimator):
    """BaseEstimator with scikit-learn's protocol, for an estimator whose checkpoint says
    it was fitted."""

    _estimator_type = None  # 'classifier' or 'regressor' in the subclasses that are

    def __sklearn_is_fitted__(self):
        """Fitted once it has a checkpoint (scikit-learn 1.6 on asks before predict)."""
        return self.latest_checkpoint() is not None

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags
        return Tags(estimator_type=self._estimator_type,
                    target_tags=TargetTags(required=self._estimator_type is not None),
                    classifier_tags=(ClassifierTags() if self._estimator_type == 'classifier'
                                     else None),
                    regressor_tags=(RegressorTags() if self._estimator_type == 'regressor'
                                    else None))


class ClassifierMixin:
    pass


class RegressorMixin:
    pass


class TransformerMixin:
    pass


class NotFittedError(ValueError, AttributeError):
    """Evaluating or predicting before any checkpoint exists (scikit-learn's name)."""


def accuracy_score(y_true, y_pred):
    return np.average(y_true == y_pred)


def mean_squared_error(y_true, y_pred):
    """The mean squared difference, each side squeezed first if it has more than one
    dimension (TF 1.x's: [N, 1] predictions against [N] labels)."""
    y_true = np.squeeze(y_true) if len(y_true.shape) > 1 else y_true
    y_pred = np.squeeze(y_pred) if len(y_pred.shape) > 1 else y_pred
    return np.average((y_true - y_pred) ** 2)


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, **unused):
    """(a_train, a_test, b_train, b_test ...): each array's rows split by one permutation
    (np.random seeded with random_state, as TF 1.x did), train_size (a fraction, 0.75 unless
    test_size is given) of them first. scikit-learn's other options (stratify, shuffle)
    are taken and ignored, as TF 1.x's stand-in did."""
    if train_size is None:
        train_size = 0.75 if test_size is None else 1 - test_size
    train_count = int(train_size * arrays[0].shape[0])
    np.random.seed(random_state)
    indices = np.random.permutation(arrays[0].shape[0])
    train, test = indices[:train_count], indices[train_count:]
    return tuple(part for array in arrays
                 for part in (array.take(train, axis=0), array.take(test, axis=0)))


log_loss = None  # TF 1.x had no stand-in for scikit-learn's
