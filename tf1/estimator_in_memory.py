"""TF 1.13-1.15's tf.estimator.experimental.InMemoryEvaluatorHook (TF 1.10-1.12:
tf.contrib.estimator's): a training hook that evaluates the model every `every_n_iter`
steps from the training session's own variable values - no checkpoint needed - before
training, on the way, and at the end, writing to the eval directory as evaluate() does
(so the early-stopping hooks read it).

    evaluator = tf.estimator.experimental.InMemoryEvaluatorHook(estimator, eval_input_fn)
    estimator.train(train_input_fn, hooks=[evaluator])
"""
import tensorflow.compat.v1 as tf

from tf1.estimator_spec import checked_hooks


class InMemoryEvaluatorHook(tf.train.SessionRunHook):
    """Evaluates `estimator` on `input_fn` with the training session's variables."""

    def __init__(self, estimator, input_fn, steps=None, hooks=None, name=None,
                 every_n_iter=100):
        if every_n_iter is None or every_n_iter <= 0:
            raise ValueError('invalid every_n_iter=%s.' % every_n_iter)
        self._estimator, self._input_fn = estimator, input_fn
        self._steps, self._name = steps, name
        self._hooks = checked_hooks(hooks)
        self._timer = tf.train.SecondOrStepTimer(every_steps=every_n_iter)
        self._iterations = 0

    def begin(self):
        if tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS):
            raise ValueError('InMemoryEvaluator does not support saveables other than global '
                             'variables.')
        self._variables = {variable.op.name: variable for variable in tf.global_variables()}

    def after_create_session(self, session, coord):
        """The first evaluation: the model before training."""
        self._evaluate(session)

    def after_run(self, run_context, run_values):
        self._iterations += 1
        if self._timer.should_trigger_for_step(self._iterations):
            self._evaluate(run_context.session)

    def end(self, session):
        self._evaluate(session)

    def _evaluate(self, train_session):
        values = train_session.run(self._variables)
        self._estimator._evaluate_variables(self._input_fn, self._steps, self._hooks,
                                            self._name, variable_values=values)
        self._timer.update_last_triggered_step(self._iterations)
