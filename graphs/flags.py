"""The command-line flags every train_*.py script shares, and their value types.

Each script states only what differs for its model (`make_parser`'s defaults); the
flags, their checks and their help texts are written here once.
"""
import argparse
import collections
import os

import tensorflow.compat.v1 as tf

from graphs import augment, cluster as cluster_lib, extra_data, layers, precision
# The value types, here for the scripts that reach them through this module.
from graphs import flag_types
from graphs.flag_types import (inter_op_thread_count, non_negative_int,  # noqa: F401
                               positive_float, positive_int, probability)

# A script's own defaults. The first three every script chooses; the rest have the value
# most scripts want. keep_prob is given only by models with a dropout layer (it adds
# --keep_prob); intra_op_threads None means every core.
Defaults = collections.namedtuple('Defaults', [
    'max_steps', 'batch_size', 'learning_rate', 'optimizer', 'lr_schedule', 'keep_prob',
    'augment', 'intra_op_threads', 'inter_op_threads', 'bf16_gains'],
    defaults=['adam', 'constant', None, 'none', None, 2, False])


# --fine_tune logs here, under the default --log_dir: a fine-tune's curves are their own
# run in TensorBoard, and the first run's files are left alone.
FINE_TUNE_LOGS = 'fine_tune'
# --fine_tune's learning rate, as a part of the script's: small, so that a short run on a
# few drawings moves the weights without forgetting MNIST.
FINE_TUNE_RATE_SCALE = 0.1


# ---------------------------------------------------------------------------- value types

def augment_kinds(text):
    """The distortions named by --augment as a tuple in augment.KINDS' order; "all" and
    "none" are accepted too."""
    names = [name.strip() for name in text.split(',') if name.strip()]
    if names == ['all']:
        return augment.KINDS
    if names == ['none']:
        return ()
    try:
        augment.check_kinds(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError('%s (or all, or none)' % error)
    return tuple(kind for kind in augment.KINDS if kind in names)


# ---------------------------------------------------------------------------- the parser

def make_parser(name, description, **defaults):
    """The flags every script shares, with that script's `Defaults` (given by keyword;
    an unknown or missing one is a TypeError, as for any call)."""
    defaults = Defaults(**defaults)
    parser = _Parser(description=description,
                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.bf16_gains = defaults.bf16_gains
    add = parser.add_argument
    add('--data_dir', default=None,
        help='directory with the four MNIST files (downloaded when missing); '
             'default $MNIST_DATA_DIR, else MNIST_data')
    add('--model_dir', default=os.path.join('model', name),
        help='checkpoints: serving copy here, full resumable ones in its train/ subdir')
    add('--log_dir', default=os.path.join('eventlog', name),
        help='TensorBoard event logs (with --fine_tune, its fine_tune/ subdirectory: the '
             "first run's logs, shipped ones included, stay as they are)")
    add('--max_steps', type=positive_int, default=defaults.max_steps,
        help='train up to this global step')
    add('--batch_size', type=positive_int, default=defaults.batch_size,
        help='images per training step')
    add('--learning_rate', type=positive_float, default=defaults.learning_rate,
        help='initial learning rate')
    add('--optimizer', choices=('adam', 'sgd'), default=defaults.optimizer,
        help='Adam, or plain gradient descent as in the beginners tutorial')
    add('--lr_schedule', choices=('constant', 'cosine'), default=defaults.lr_schedule,
        help='cosine decays the learning rate to 0 at --max_steps (a run resumed with a '
             'higher --max_steps follows the new schedule from its step: the rate rises '
             'again, then decays to 0)')
    if defaults.keep_prob is not None:
        add('--keep_prob', type=probability, default=defaults.keep_prob,
            help='dropout keep probability while training (1.0 disables dropout)')
    add('--augment', type=augment_kinds, nargs='?', const=augment.KINDS, metavar='KINDS',
        default=defaults.augment,
        help='distort training images like handwriting, in a background thread: a '
             'comma-separated list of %s (graphs/augment.py), "all" (also what a bare '
             '--augment means) or "none"' % ', '.join(augment.KINDS))
    add('--no-augment', dest='augment', action='store_const', const=(),
        help='train on the images as they are (--augment none)')
    add('--extra_data', default=None, metavar='DIR',
        help="extra labelled digits mixed into the training images: IDX files named like "
             "MNIST's (PREFIX-images-idx3-ubyte, PREFIX-labels-idx1-ubyte), such as the "
             'drawings predict_server.py keeps in its --feedback_dir; one in %d is held out '
             'for measuring, never trained on' % extra_data.HELD_OUT_EVERY)
    add('--extra_repeat', type=positive_int, default=20,
        help='times each extra image appears in an epoch, so that a few hundred drawings '
             'count beside 55,000 MNIST digits')
    add('--fine_tune', type=positive_int, default=None, metavar='STEPS',
        help='start from the serving weights in --model_dir with a fresh optimizer and '
             'train STEPS more steps at a constant %g of --learning_rate (with '
             '--extra_data, usually); the new serving checkpoint replaces the old one (a '
             'running predict_server.py loads it), and the test accuracy before and after '
             'is printed' % FINE_TUNE_RATE_SCALE)
    add('--eval_every', type=positive_int, default=500,
        help='print progress and evaluate on the validation split every N steps')
    add('--summary_every', type=positive_int, default=50,
        help='write training summaries every N steps')
    add('--save_every', type=positive_int, default=1000, help='save a checkpoint every N steps')
    add('--max_to_keep', type=positive_int, default=5, help='full checkpoints kept in train/')
    add('--validation_size', type=non_negative_int, default=5000,
        help='training images held out for validation (the first N, as the classic loader)')
    add('--seed', type=non_negative_int, default=None,
        help='fixes initialisation and batch order (random, and printed, when omitted)')
    add('--deterministic', action='store_true',
        help='also make TensorFlow ops deterministic: identical weights run to run (slower)')
    add('--fresh', action='store_true',
        help="delete this model's checkpoints and logs and start from step 0")
    add('--precision', choices=precision.CHOICES, default='auto',
        help='arithmetic of the training steps: bf16 (bfloat16 matmuls and convolutions, '
             'float32 variables and checkpoints) needs a CPU with bfloat16 instructions; '
             'auto uses it where the CPU has them and this model gains (%s)'
             % ('it does' if defaults.bf16_gains else 'it does not'))
    add('--intra_op_threads', type=non_negative_int,
        default=(_cores() if defaults.intra_op_threads is None
                 else defaults.intra_op_threads),
        help='threads inside one op (0 lets TensorFlow choose)')
    add('--inter_op_threads', type=inter_op_thread_count, default=defaults.inter_op_threads,
        help='ops run in parallel (2 let the LSTM models\' two chains run side by side); '
             '-1 runs every op in the calling thread')
    cluster_lib.add_flags(parser)
    return parser


class _Parser(flag_types.ArgumentParser):
    """Checks the flags that only make sense together (the cluster's) after parsing."""

    def parse_args(self, args=None, namespace=None):
        flags = super().parse_args(args, namespace)
        # Resolved once, here: what runs (and what model.json records) is fp32 or bf16.
        flags.precision, flags.precision_note = precision.resolve(flags.precision,
                                                                  self.bf16_gains)
        if flags.fine_tune and (flags.fresh or cluster_lib.requested(flags)):
            self.error('--fine_tune starts from the serving weights of one process: not '
                       'with --fresh or in a cluster')
        if flags.fine_tune and flags.log_dir is self.get_default('log_dir'):  # not given
            flags.log_dir = os.path.join(flags.log_dir, FINE_TUNE_LOGS)
        if cluster_lib.requested(flags):
            try:
                cluster_lib.check_flags(flags)
            except argparse.ArgumentTypeError as error:
                self.error(str(error))
        return flags


# ---------------------------------------------------------------------------- threads

def _cores():
    return os.cpu_count() or 2


def lstm_intra_op_threads(cores=None):
    """Threads inside one op for a graph that is mostly LSTM chains: the cores shared
    out between the chains (layers.TRAINING_LSTM_CHAINS), at least one each.

    The chains already keep the cores busy; an op that also splits itself over another
    thread makes the other chain's op wait. The CNN-LSTM and CRNN keep every core: their
    convolutions use them. (Both measured in bench/README.md, "The LSTM gap".)"""
    return max(1, (cores or _cores()) // layers.TRAINING_LSTM_CHAINS)


def session_config(flags):
    """The session's thread pools, from --intra_op_threads and --inter_op_threads.

    A negative inter-op count runs the ops in the caller's thread only in a session on
    the global thread pools, as here (not with use_per_session_threads)."""
    config = tf.ConfigProto(intra_op_parallelism_threads=flags.intra_op_threads,
                            inter_op_parallelism_threads=flags.inter_op_threads)
    return precision.apply(config, flags.precision)
