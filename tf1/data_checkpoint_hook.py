"""TF 1.8-1.15's tf.data.experimental.CheckpointInputPipelineHook (TF 1.8-1.12:
tf.contrib.data's), which TF 2.x removed with the Estimator: a training hook that saves
the state of the graph's tf.data iterators, apart from the model, and restores it when
training resumes, so that the input pipeline goes on from where it left off instead of
starting over.

    estimator.train(input_fn,
                    hooks=[tf.data.experimental.CheckpointInputPipelineHook(estimator)],
                    steps=steps_per_evaluation)

The state goes to the model's directory as `input.ckpt-STEP` (on a worker of a cluster,
`input_TYPE_ID.ckpt-STEP`), listed in `checkpoint_input`, as often as the Estimator saves
the model.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.data.ops import iterator_ops
from tensorflow.python.ops import gen_dataset_ops
from tensorflow.python.training.saving import saveable_object


class CheckpointInputPipelineHook(tf.train.SessionRunHook):
    """Saves the iterators of the "iterators" collection with the Estimator's checkpoint
    frequency, and at the first step restores the newest saved state (or saves one)."""

    def __init__(self, estimator):
        config = estimator.config
        prefix = 'input'
        if config.num_worker_replicas > 1:
            prefix += '_{}_{}'.format(config.task_type, config.task_id)
        self._saver_hook_arguments = dict(
            checkpoint_dir=estimator.model_dir, save_secs=config.save_checkpoints_secs,
            save_steps=config.save_checkpoints_steps, checkpoint_basename=prefix + '.ckpt')
        # As TF 1.x's, which made its saver hook here: a RunConfig saving neither every
        # so many steps nor seconds is refused now, not at train().
        tf.train.SecondOrStepTimer(every_secs=config.save_checkpoints_secs,
                                   every_steps=config.save_checkpoints_steps)
        self._latest_filename = 'checkpoint_' + prefix

    def begin(self):
        # Made for each training's graph: unlike TF 1.x's, the hook can be passed to
        # train() again.
        iterators = tf.get_collection(iterator_ops.GLOBAL_ITERATORS)
        saver = _InputSaver([_IteratorState(iterator) for iterator in iterators],
                            self._latest_filename)
        self._saver_hook = tf.train.CheckpointSaverHook(saver=saver,
                                                        **self._saver_hook_arguments)
        self._saver_hook.begin()
        self._first_run = True

    def before_run(self, run_context):
        if self._first_run:
            self._restore_or_save_first(run_context.session)
            self._first_run = False
        return self._saver_hook.before_run(run_context)

    def after_run(self, run_context, run_values):
        self._saver_hook.after_run(run_context, run_values)

    def end(self, session):
        self._saver_hook.end(session)

    def _restore_or_save_first(self, session):
        hook = self._saver_hook
        latest = tf.train.latest_checkpoint(hook._checkpoint_dir,
                                            latest_filename=self._latest_filename)
        if latest:
            hook._get_saver().restore(session, latest)
        else:
            global_step = session.run(hook._global_step_tensor)
            hook._save(session, global_step)
            hook._timer.update_last_triggered_step(global_step)


class _IteratorState(saveable_object.SaveableObject):
    """An iterator's state, serialized, under TF 1.x's key: its resource's name + '-state'."""

    def __init__(self, iterator_resource):
        serialized = gen_dataset_ops.serialize_iterator(iterator_resource)
        spec = saveable_object.SaveSpec(serialized, '', iterator_resource.name + '-state')
        super(_IteratorState, self).__init__(iterator_resource, [spec],
                                             iterator_resource.name)

    def restore(self, restored_tensors, restored_shapes):
        with tf.colocate_with(self.op):
            return gen_dataset_ops.deserialize_iterator(self.op, restored_tensors[0])


class _InputSaver(tf.train.Saver):
    """A Saver whose checkpoints are listed in their own file (`checkpoint_input`), apart
    from the model's."""

    def __init__(self, var_list, latest_filename):
        super(_InputSaver, self).__init__(var_list)
        self._latest_filename = latest_filename

    def save(self, sess, save_path, global_step=None, latest_filename=None, **kwargs):
        return super(_InputSaver, self).save(sess, save_path, global_step,
                                             latest_filename or self._latest_filename,
                                             **kwargs)
