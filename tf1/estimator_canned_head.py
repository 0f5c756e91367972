"""`tensorflow.python.estimator.canned.head`, TF 1.x's module of heads by its path: the
heads of tf1/estimator_head.py, and the private constructors custom estimators of TF
1.7-1.15 called (`head_lib._multi_class_head_with_softmax_cross_entropy_loss(...)`):
tf.contrib.estimator's head functions with TF 1.15's canned default, the loss summed over
the batch."""
import tensorflow.compat.v1 as tf

from tf1 import contrib_estimator_head
from tf1.estimator_head import (  # noqa: F401 (the module's names)
    BinaryHead, Head, LossSpec, MultiClassHead, RegressionHead)

_SUM = tf.losses.Reduction.SUM


def _binary_logistic_head_with_sigmoid_cross_entropy_loss(
        weight_column=None, thresholds=None, label_vocabulary=None, loss_reduction=_SUM,
        loss_fn=None, name=None):
    return contrib_estimator_head.binary_classification_head(
        weight_column, thresholds, label_vocabulary, loss_reduction, loss_fn, name)


def _multi_class_head_with_softmax_cross_entropy_loss(
        n_classes, weight_column=None, label_vocabulary=None, loss_reduction=_SUM,
        loss_fn=None, name=None):
    return contrib_estimator_head.multi_class_head(
        n_classes, weight_column, label_vocabulary, loss_reduction, loss_fn, name)


def _regression_head(weight_column=None, label_dimension=1, loss_reduction=_SUM,
                     loss_fn=None, inverse_link_fn=None, name=None):
    return contrib_estimator_head.regression_head(
        weight_column, label_dimension, loss_reduction, loss_fn, inverse_link_fn, name)
