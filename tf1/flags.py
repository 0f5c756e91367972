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
took and absl refuses, is passed on as the Python number it is; any other default absl
refuses but argparse kept as it was (`DEFINE_integer('train_size', np.inf, ...)`) is kept
so too; and TF 1.0-1.4's keyword names (`flag_name=`, `default_value=`, `docstring=`) are
taken. FLAGS also has TF 1.0-1.4's `_parse_flags()` and `FLAGS.__flags` (also
`FLAGS.__dict__['__flags']`), the dict of the flags' values that the scripts of then
printed their settings from, and setting a value in it sets the flag. TF 1.0-1.4's way of
starting over with no flags works too:

    tf.app.flags.FLAGS = tf.flags._FlagValues()
    tf.app.flags._global_parser = argparse.ArgumentParser()
    tf.app.flags.DEFINE_integer('epoch', 1, 'epochs')  # defined in the new FLAGS

Everything else is TensorFlow's own tf.flags (absl's)."""
import functools
import sys

from absl import flags as absl_flags
from absl.flags import _helpers

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.namespace import Namespace

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
        # The FLAGS the script sees now: TF 1.0-1.4 scripts replaced it to start over.
        flag_values = _unwrapped(kwargs.get('flag_values', NAMESPACE.FLAGS))
        if replaced(flag_values):
            kwargs['flag_values'] = flag_values
        if (name in REPLACEABLE and name in flag_values
                and flag_values.find_module_defining_flag(name) == 'absl.logging'):
            delattr(flag_values, name)
        if args and isinstance(args[0], np.generic):
            args = (args[0].item(),) + args[1:]
        if isinstance(kwargs.get('default'), np.generic):
            kwargs['default'] = kwargs['default'].item()
        try:
            return define(name, *args, **kwargs)
        except absl_flags.IllegalFlagValueError:
            default = args[0] if args else kwargs.get('default')
            # argparse had no bounds or enums: a default outside those stays refused.
            if (default is None or isinstance(default, str) or len(args) > 2 or
                    set(kwargs) & {'lower_bound', 'upper_bound', 'enum_values'}):
                raise
        # A default absl's parser refuses, but not a string: TF 1.0-1.4's argparse flags
        # never parsed such a default and kept it as it was (DCGAN's
        # `DEFINE_integer('train_size', np.inf, ...)`); a value given on the command line
        # is parsed as the flag's type.
        if args:
            args = (None,) + args[1:]
        else:
            kwargs['default'] = None
        holder = define(name, *args, **kwargs)
        flag = flag_values[name]
        flag.default = flag.default_unparsed = flag.value = default
        flag.default_as_str = "'%s'" % (default,)  # as absl shows defaults in --help
        return holder
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
            print('{}={}'.format(attr.upper(), value))

    and TF 1.0-1.4's leniency: a name no flag has may be set (`FLAGS.out_dir = ...`,
    bi-att-flow's settings derived from its flags), kept with the flags' values in
    `__flags` and read back; TF 1.5-1.15 refused it."""

    def __init__(self, flag_values):
        object.__setattr__(self, '_flag_values', flag_values)
        object.__setattr__(self, '_unflagged', {})  # names set that no flag has

    @property
    def __dict__(self):
        """TF 1.0-1.4 kept the flags' values in `FLAGS.__dict__['__flags']`."""
        return {'__flags': self._values(), '__parsed': self._flag_values.is_parsed()}

    def _values(self):
        """The script's flags (not absl's own) and their values, parsed first as on any
        read; setting a value sets the flag."""
        flag_values = self._flag_values
        self._parse_if_unparsed()
        return _FlagValueDict(self, {
            **{flag: getattr(flag_values, flag) for flag in flag_values
               if not flag_values.find_module_defining_flag(flag, '').startswith(
                   ('absl.', 'tensorflow.'))},
            **self._unflagged})

    def _parse_if_unparsed(self):
        """TF 1.x parsed sys.argv at the first read of a flag (TensorFlow's own FLAGS still
        does; a FLAGS made by `_FlagValues()` is absl's, which would refuse the read)."""
        if not self._flag_values.is_parsed():
            _parse(self._flag_values, sys.argv)

    def _parse_flags(self, args=None):
        """Parses sys.argv's arguments (or `args`); returns those no flag took."""
        argv = [sys.argv[0]] + list(sys.argv[1:] if args is None else args)
        return _parse(self._flag_values, argv)[1:]

    def __getattr__(self, name):
        if name == '__flags':  # TF 1.0-1.4's {name: value}
            return self._values()
        if name in self._flag_values:
            self._parse_if_unparsed()
        elif name in self._unflagged:
            return self._unflagged[name]
        return getattr(self._flag_values, name)

    def __setattr__(self, name, value):
        if name in self._flag_values or name.startswith('_') or hasattr(
                type(self._flag_values), name):
            setattr(self._flag_values, name, value)
        else:
            self._unflagged[name] = value

    def __delattr__(self, name):
        if name in self._unflagged:
            del self._unflagged[name]
        else:
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

    # As TF 1.5-1.15's wrapper of absl's FLAGS: dir() lists the flags' names (scripts built
    # their run's name from them), str() is every flag's help, and an item assigned is a
    # flag registered.
    def __dir__(self):
        return dir(self._flag_values)

    def __str__(self):
        return str(self._flag_values)

    def __setitem__(self, name, flag):
        self._flag_values[name] = flag


def _parse(flag_values, argv):
    """The flags `argv` sets, set in `flag_values`; returns the arguments no flag took. A
    bad value ends the script with one line, in absl's words (TF 1.0-1.4's argparse
    ended it too; TF 1.14+ printed a traceback)."""
    try:
        return flag_values(argv, known_only=True)
    except absl_flags.Error as error:
        sys.exit('FATAL Flags parsing error: %s' % error)


class _FlagValueDict(dict):
    """FLAGS.__flags: a dict of the flags' values, as TF 1.0-1.4's was; setting a value
    sets the flag (scripts of then restored saved settings that way) on `flag_values`,
    the TF1FlagValues."""

    def __init__(self, flag_values, values):
        super().__init__(values)
        self._flag_values = flag_values

    def __setitem__(self, name, value):
        setattr(self._flag_values, name, value)
        super().__setitem__(name, value)


def _unwrapped(flag_values):
    return flag_values._flag_values if isinstance(flag_values, TF1FlagValues) else flag_values


def replaced(flag_values):
    """Whether `flag_values` is not TensorFlow's own FLAGS (a script made it)."""
    return _unwrapped(flag_values) is not tf.flags.FLAGS


def _new_flag_values():
    """TF 1.0-1.4's `tf.flags._FlagValues()`: a FLAGS with no flags, parsed from sys.argv
    at its first read."""
    return TF1FlagValues(absl_flags.FlagValues())


# tf.flags, which is tf.app.flags too: one module in TF 1.x, one namespace here. A script
# may assign its FLAGS; the DEFINE functions then define flags in the new one.
NAMESPACE = Namespace('flags', tf.flags, dict(DEFINES, FLAGS=TF1FlagValues(tf.flags.FLAGS),
                                              _FlagValues=_new_flag_values))
