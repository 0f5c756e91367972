"""The key strings of TF 1.x's canned estimators (tensorflow.python.estimator.canned's
metric_keys and prediction_keys): the names their heads give metrics and predictions."""


class MetricKeys(object):
    """Metric key strings."""
    LOSS = 'loss'
    LOSS_MEAN = 'average_loss'
    LOSS_REGULARIZATION = 'regularization_loss'

    ACCURACY = 'accuracy'
    PRECISION = 'precision'
    RECALL = 'recall'
    # The best a model could do by always predicting one class.
    ACCURACY_BASELINE = 'accuracy_baseline'
    AUC = 'auc'
    AUC_PR = 'auc_precision_recall'
    LABEL_MEAN = 'label/mean'
    PREDICTION_MEAN = 'prediction/mean'

    # With a threshold in (0, 1) applied.
    ACCURACY_AT_THRESHOLD = 'accuracy/positive_threshold_%g'
    PRECISION_AT_THRESHOLD = 'precision/positive_threshold_%g'
    RECALL_AT_THRESHOLD = 'recall/positive_threshold_%g'

    # With a class id applied.
    PROBABILITY_MEAN_AT_CLASS = 'probability_mean/class%d'
    AUC_AT_CLASS = 'auc/class%d'
    AUC_PR_AT_CLASS = 'auc_precision_recall/class%d'

    # With a class name applied.
    PROBABILITY_MEAN_AT_NAME = 'probability_mean/%s'
    AUC_AT_NAME = 'auc/%s'
    AUC_PR_AT_NAME = 'auc_precision_recall/%s'


class PredictionKeys(object):
    """Prediction key strings."""
    CLASSES = 'classes'
    CLASS_IDS = 'class_ids'
    ALL_CLASSES = 'all_classes'
    ALL_CLASS_IDS = 'all_class_ids'
    LOGISTIC = 'logistic'
    LOGITS = 'logits'
    PREDICTIONS = 'predictions'
    PROBABILITIES = 'probabilities'
    TOP_K = 'top_k'
