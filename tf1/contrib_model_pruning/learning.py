"""model_pruning's training loop (TF 1.15's contrib/model_pruning/python/learning.py):
slim's, updating the masks after each step."""
from tf1.slim import learning

train_step = learning.train_step


def train(train_op, logdir, mask_update_op, train_step_fn=train_step, **kwargs):
    """slim.learning.train(train_op, logdir, **kwargs), running `mask_update_op` after each
    step of `train_step_fn`; the last loss. (TF 1.15's unpacked slim's loss as a pair and
    stopped there.)"""
    def train_step_with_pruning_fn(sess, train_op, global_step, train_step_kwargs):
        total_loss, should_stop = train_step_fn(sess, train_op, global_step,
                                                train_step_kwargs)
        sess.run(mask_update_op)
        return total_loss, should_stop
    return learning.train(train_op, logdir, train_step_fn=train_step_with_pruning_fn, **kwargs)
