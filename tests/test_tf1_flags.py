"""tf.flags.FLAGS under `python -m tf1` behaves as TF 1.5-1.15's wrapper of absl's FLAGS
(tensorflow/python/platform/flags.py), in-process on a FLAGS of the test's own."""
import numpy as np
import pytest
from absl import flags as absl_flags

from tf1 import flags as tf1_flags


@pytest.fixture
def flags():
    """A FLAGS with two flags defined, as a script's `tf.app.flags.FLAGS`."""
    wrapped = absl_flags.FlagValues()
    absl_flags.DEFINE_string('env_name', 'Corridor', 'the environment', flag_values=wrapped)
    absl_flags.DEFINE_integer('scale', 3, 'a scale', flag_values=wrapped)
    return tf1_flags.TF1FlagValues(wrapped)


def test_dir_lists_the_flags_names(flags):
    """carpedm20/deep-rl-tensorflow names its model directory after every flag but one:
    `keys = dir(config); keys.remove('env_name')`."""
    keys = dir(flags)
    assert keys == sorted(flags)
    assert {'env_name', 'scale'} <= set(keys)
    keys.remove('env_name')


def test_str_is_every_flags_help(flags):
    text = str(flags)
    assert '--env_name: the environment' in text and "(default: 'Corridor')" in text
    assert '--scale: a scale' in text


def test_an_item_assigned_is_a_flag_registered(flags):
    flags['mode'] = absl_flags.Flag(absl_flags.ArgumentParser(),
                                    absl_flags.ArgumentSerializer(), 'mode', 'train', 'mode')
    flags(['script.py', '--mode=test'])
    assert flags.mode == 'test' and flags['mode'].default == 'train'
    assert flags.scale == 3


def test_a_default_absl_refuses_is_kept_as_tf1_0_to_1_4s_argparse_kept_it():
    """bamos/dcgan-completion.tensorflow (early DCGAN-tensorflow):
    `DEFINE_integer('train_size', np.inf, ...)`, then `min(len(data), FLAGS.train_size)`."""
    wrapped = absl_flags.FlagValues()
    define_integer = tf1_flags.DEFINES['DEFINE_integer']
    define_integer('train_size', np.inf, 'the size of train images', flag_values=wrapped)
    define_integer('epochs', default_value=2.0, docstring='epochs', flag_values=wrapped)
    flags = tf1_flags.TF1FlagValues(wrapped)
    flags(['script.py'])
    assert flags.train_size == np.inf and flags.epochs == 2.0
    assert "(default: 'inf')" in str(flags)
    flags(['script.py', '--train_size=500'])
    assert flags.train_size == 500  # given on the command line: parsed as an integer
    with pytest.raises(absl_flags.IllegalFlagValueError, match='many'):
        define_integer('steps', 'many', 'a string default is parsed', flag_values=wrapped)
    with pytest.raises(absl_flags.IllegalFlagValueError, match='is not a non-negative integer'):
        define_integer('count', -1, 'bounds are absl\'s', lower_bound=0, flag_values=wrapped)


def test_a_name_no_flag_has_may_be_set_as_in_tf1_0_to_1_4(flags):
    """allenai/bi-att-flow (TF 1.2) derives its settings from its flags and keeps them on
    FLAGS (`config.out_dir = ...`); TF 1.0-1.4 kept any name in `__flags`, TF 1.5-1.15
    refused it."""
    flags(['script.py'])
    flags.out_dir = 'out/basic/00'
    flags.emb_mat = [[0.0, 1.0]]
    assert flags.out_dir == 'out/basic/00' and flags.emb_mat == [[0.0, 1.0]]
    assert flags.__flags['out_dir'] == 'out/basic/00' and flags.__flags['scale'] == 3
    flags.__flags['emb_mat'] = None  # through the dict, as a flag's value is set
    assert flags.emb_mat is None
    flags.scale = 5  # a flag's own value is still the flag's
    assert flags['scale'].value == 5 and 'out_dir' not in flags
    del flags.out_dir
    with pytest.raises(AttributeError):
        flags.out_dir
