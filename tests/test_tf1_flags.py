"""tf.flags.FLAGS under `python -m tf1` behaves as TF 1.5-1.15's wrapper of absl's FLAGS
(tensorflow/python/platform/flags.py), in-process on a FLAGS of the test's own."""
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
