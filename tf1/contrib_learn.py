"""tf.contrib.learn's ModeKeys, which code far from contrib.learn's Estimators kept using
for its train/eval/infer switches (tensorflow/nmt). Its Estimator, datasets and
preprocessing are their own modules (contrib_learn_estimator.py and the files it names,
contrib_learn_datasets.py, contrib_learn_preprocessing.py)."""

__all__ = ['ModeKeys']


class ModeKeys(object):
    """The three modes, as TF 1.x's contrib/learn/python/learn/estimators/model_fn.py
    named them (tf.estimator's PREDICT is contrib's INFER, both 'infer')."""
    TRAIN = 'train'
    EVAL = 'eval'
    INFER = 'infer'
