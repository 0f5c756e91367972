"""TF 1.x's exporters (tensorflow_estimator's exporter.py), which train_and_evaluate calls
after each evaluation, each writing SavedModels to MODEL_DIR/export/NAME/TIMESTAMP:

    LatestExporter   every evaluation, keeping the newest `exports_to_keep`
    FinalExporter    once, after the evaluation at the end of training (max_steps reached)
    BestExporter     when `compare_fn` says the evaluation beats the best so far (by
                     default: a smaller loss), the best read back from the model's eval
                     event files first, so a restarted job remembers it
    Exporter         the base class for your own
"""
import os

import tensorflow.compat.v1 as tf

from tf1.estimator_core import arg_names


class Exporter(object):
    """Exports a model after an evaluation: subclasses define `name` and `export`."""

    @property
    def name(self):
        raise NotImplementedError('Exporter subclasses define the name property.')

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        """Export `checkpoint_path` under `export_path`; the export's path, or None."""
        raise NotImplementedError('Exporter subclasses define export().')


class _SavedModelExporter(Exporter):
    """What the three exporters share: a name and Estimator.export_saved_model."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False,
                 exports_to_keep=None):
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError('`exports_to_keep`, if provided, must be a positive number. '
                             'Got %s' % exports_to_keep)
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra, self._as_text = assets_extra, as_text
        self._exports_to_keep = exports_to_keep

    @property
    def name(self):
        return self._name

    def _export(self, estimator, export_path, checkpoint_path):
        path = estimator.export_saved_model(export_path, self._serving_input_receiver_fn,
                                            assets_extra=self._assets_extra,
                                            as_text=self._as_text,
                                            checkpoint_path=checkpoint_path)
        if self._exports_to_keep is not None:
            keep_newest_exports(export_path, self._exports_to_keep)
        return path


class LatestExporter(_SavedModelExporter):
    """Exports after every evaluation; older exports beyond `exports_to_keep` go."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False,
                 exports_to_keep=5):
        super(LatestExporter, self).__init__(name, serving_input_receiver_fn, assets_extra,
                                             as_text, exports_to_keep)

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        return self._export(estimator, export_path, checkpoint_path)


class FinalExporter(_SavedModelExporter):
    """Exports once, after the final evaluation."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False):
        super(FinalExporter, self).__init__(name, serving_input_receiver_fn, assets_extra,
                                            as_text)

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        if not is_the_final_export:
            return None
        tf.logging.info('Performing the final export in the end of training.')
        return self._export(estimator, export_path, checkpoint_path)


def _loss_smaller(best_eval_result, current_eval_result):
    """BestExporter's default comparison: True when the current loss is smaller."""
    for result, which in ((best_eval_result, 'best_eval_result'),
                          (current_eval_result, 'current_eval_result')):
        if not result or 'loss' not in result:
            raise ValueError('%s cannot be empty or no loss is found in it.' % which)
    return best_eval_result['loss'] > current_eval_result['loss']


class BestExporter(_SavedModelExporter):
    """Exports when an evaluation is the best so far, as `compare_fn` judges."""

    def __init__(self, name='best_exporter', serving_input_receiver_fn=None,
                 event_file_pattern='eval/*.tfevents.*', compare_fn=_loss_smaller,
                 assets_extra=None, as_text=False, exports_to_keep=5):
        if compare_fn is None:
            raise ValueError('`compare_fn` must not be None.')
        arguments = set(arg_names(compare_fn))
        if arguments != {'best_eval_result', 'current_eval_result'}:
            raise ValueError('compare_fn (%s) must take exactly the arguments '
                             'best_eval_result and current_eval_result; it takes %s'
                             % (compare_fn, sorted(arguments)))
        super(BestExporter, self).__init__(name, serving_input_receiver_fn, assets_extra,
                                           as_text, exports_to_keep)
        self._compare_fn = compare_fn
        self._event_file_pattern = event_file_pattern
        self._model_dir = None
        self._best_eval_result = None
        self._has_exported = False

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        if self._model_dir != estimator.model_dir and self._event_file_pattern:
            tf.logging.info('Loading best metric from event files.')
            self._model_dir = estimator.model_dir
            self._best_eval_result = self._best_in_event_files(
                os.path.join(self._model_dir, self._event_file_pattern))
        if (self._best_eval_result is None or not self._has_exported or
                self._compare_fn(best_eval_result=self._best_eval_result,
                                 current_eval_result=eval_result)):
            tf.logging.info('Performing best model export.')
            self._best_eval_result = eval_result
            self._has_exported = True
            return self._export(estimator, export_path, checkpoint_path)
        return None

    def _best_in_event_files(self, pattern):
        """The best evaluation recorded in the event files matching `pattern`."""
        best = None
        for event_file in tf.gfile.Glob(pattern):
            for event in tf.train.summary_iterator(event_file):
                result = {value.tag: value.simple_value for value in event.summary.value
                          if value.HasField('simple_value')}
                if result and (best is None or self._compare_fn(best, result)):
                    best = result
        return best


def keep_newest_exports(export_dir_base, exports_to_keep):
    """Delete all but the newest `exports_to_keep` exports (TIMESTAMP directories)."""
    base = os.fsdecode(export_dir_base)
    stamps = sorted(int(name.strip('/')) for name in tf.gfile.ListDirectory(base)
                    if name.strip('/').isdigit())
    for stamp in stamps[:max(len(stamps) - exports_to_keep, 0)]:
        tf.gfile.DeleteRecursively(os.path.join(base, str(stamp)))


def checked_exporters(exporters):
    """EvalSpec's `exporters` as a tuple: Exporters with unique, non-empty string names."""
    if not exporters:
        return ()
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    try:
        exporters = tuple(exporters)
    except TypeError:
        exporters = (exporters,)
    if not all(isinstance(exporter, Exporter) for exporter in exporters):
        raise TypeError('`exporters` must be an Exporter, an iterable of Exporter, or '
                        '`None`, found %s.' % (exporters,))
    names = [exporter.name for exporter in exporters]
    if not all(names) or not all(isinstance(name, str) for name in names):
        raise ValueError('An Exporter must have a non-empty string name. All exporter '
                         'names: {}'.format(names))
    if len(set(names)) != len(names):
        raise ValueError('`exporters` must have unique names. All exporter names: '
                         '{}'.format(names))
    return exporters
