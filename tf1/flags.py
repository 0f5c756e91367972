"""tf.flags (and tf.app.flags) as TF 1.0–1.13 had them: a script may define `log_dir`.

Since TF 1.14, importing TensorFlow imports absl.logging, which defines flags of its own
(log_dir, logtostderr, v, verbosity ...), and a script defining one of them, such as the
common `tf.app.flags.DEFINE_string('log_dir', ...)`, dies with DuplicateFlagError
(tensorflow/tensorflow#30472). Here the script's definition replaces absl.logging's for
the flags absl.logging only reads a value from (REPLACEABLE): the script gets the flag it
wrote for, and absl.logging, which TF 1.x scripts never configure, reads the script's
value. `verbosity`, `v` and `logger_levels` stay absl's (tf.app.run calls into them), so
a script defining one of those fails as under TF 1.14. A default given as a NumPy number
(`DEFINE_integer('batch_size', np.power(2, 7), ...)`), which TF 1.0-1.4's argparse flags
took and absl refuses, is passed on as the Python number it is, and TF 1.0-1.4's keyword
names (`flag_name=`, `default_value=`, `docstring=`) are taken. FLAGS also has TF
1.0-1.4's `_parse_flags()` and `FLAGS.__flags`, the dict of the flags' values that the
scripts of then printed their settings from. Everything else is TensorFlow's own tf.flags
(absl's)."""
import functools
import sys

from absl.flags import _helpers

import numpy as np
import tensorflow.compat.v1 as tf

REPLACEABLE = ('log_dir', 'logtostderr', 'alsologtostderr', 'showprefixforinfo',
               'stderrthreshold')

# The DEFINE functions whose first argument is the flag's name.
NAMED_DEFINES = ('DEFINE_bool', 'DEFINE_boolean', 'DEFINE_enum', 'DEFINE_enum_class',
                 'DEFINE_float', 'DEFINE_integer', 'DEFINE_list', 'DEFINE_multi_enum',
                 'DEFINE_multi_enum_class', 'DEFINE_multi_float', 'DEFINE_multi_integer',
                 'DEFINE_multi_string', 'DEFINE_spaceseplist', 'DEFINE_string')


# TF 1.0-1.4's keyword names for a flag's name, default and help (TF 1.5-1.13 still took
# them, with a deprecation notice).
TF_1_0_KEYWORDS = {'flag_name': 'name', 'default_value': 'default', 'docstring': 'help'}


def _as_tf1_defined(define):
    """`define`, first removing a REPLACEABLE flag of the same name that absl.logging
    defined, with a NumPy number as its default made a Python one, and taking TF 1.0's
    keyword names (`flag_name=`, `default_value=`, `docstring=`)."""
    @functools.wraps(define)
    def define_flag(*args, **kwargs):
        for old, new in TF_1_0_KEYWORDS.items():
            if old in kwargs:
                kwargs[new] = kwargs.pop(old)
        if 'name' in kwargs:
            args = (kwargs.pop('name'),) + args
        if not args:
            raise TypeError("%s() missing 1 required argument: 'name'" % define.__name__)
        name, args = args[0], args[1:]
        flag_values = kwargs.get('flag_values', tf.flags.FLAGS)
        if (name in REPLACEABLE and name in flag_values
                and flag_values.find_module_defining_flag(name) == 'absl.logging'):
            delattr(flag_values, name)
        if args and isinstance(args[0], np.generic):
            args = (args[0].item(),) + args[1:]
        if isinstance(kwargs.get('default'), np.generic):
            kwargs['default'] = kwargs['default'].item()
        return define(name, *args, **kwargs)
    return define_flag


DEFINES = {name: _as_tf1_defined(getattr(tf.flags, name))
           for name in NAMED_DEFINES}
# The flags a script defines through DEFINES are the script's, as under TF 1.x (absl
# records the first module on the stack not disclaimed: `--helpfull` lists them under it).
_helpers.disclaim_module_ids.add(id(sys.modules[__name__]))


class TF1FlagValues(object):
    """tf.flags.FLAGS: TensorFlow's FLAGS (absl's, parsed on first use) in every respect,
    plus TF 1.0-1.4's `_parse_flags(args=None)` and `__flags`:

        FLAGS._parse_flags()
        for attr, value in sorted(FLAGS.__flags.items()):  # cnn-text-classification-tf
            print('{}={}'.format(attr.upper(), value))"""

    def __init__(self, flag_values):
        object.__setattr__(self, '_flag_values', flag_values)

    def _parse_flags(self, args=None):
        """Parses sys.argv's arguments (or `args`); returns those no flag took."""
        argv = [sys.argv[0]] + list(sys.argv[1:] if args is None else args)
        return self._flag_values(argv, known_only=True)[1:]

    def __getattr__(self, name):
        if name == '__flags':  # TF 1.x's {name: value}, the script's flags (not absl's own)
            flag_values = self._flag_values
            return {flag: getattr(flag_values, flag) for flag in flag_values
                    if not flag_values.find_module_defining_flag(flag, '').startswith(
                        ('absl.', 'tensorflow.'))}
        return getattr(self._flag_values, name)

    def __setattr__(self, name, value):
        setattr(self._flag_values, name, value)

    def __delattr__(self, name):
        delattr(self._flag_values, name)

    def __call__(self, *args, **kwargs):
        return self._flag_values(*args, **kwargs)

    def __contains__(self, name):
        return name in self._flag_values

    def __iter__(self):
        return iter(self._flag_values)

    def __len__(self):
        return len(self._flag_values)

    def __getitem__(self, name):
        return self._flag_values[name]


DEFINES['FLAGS'] = TF1FlagValues(tf.flags.FLAGS)
