"""What contrib.learn's estimators took from TF 1.x's estimators/_sklearn.py to act as
scikit-learn estimators (a Pipeline's last step, GridSearchCV's model): get_params and
set_params over their public attributes, `step__name` for nested ones, as TF 1.15 had them;
and what today's scikit-learn (1.6 on) asks every estimator: its tags (where scikit-learn is
installed) and whether it is fitted."""


class ScikitLearnParameters:
    """get_params, set_params and scikit-learn's protocol for an estimator whose public
    attributes are its parameters and whose checkpoint says it was fitted."""

    _estimator_type = None  # 'classifier' or 'regressor' in the subclasses that are

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
