"""tf.contrib.training as TF 1.x code used it outside contrib's own trainers: HParams, the
hyperparameter object of tensorflow/nmt, tensor2tensor, Magenta and Tacotron (TF 1.15's
contrib/training/python/training/hparam.py: the same types, casts, `parse` syntax and
errors, and its HParamDef protocol buffer, tf1/hparam_pb2.py), and checkpoints_iterator /
wait_for_new_checkpoint, which TensorFlow still has."""
import json
import numbers
import re

from tensorflow.python.framework import ops
from tensorflow.python.training.checkpoint_utils import (checkpoints_iterator,
                                                         wait_for_new_checkpoint)

from tf1.hparam_pb2 import HParamDef

__all__ = ['HParams', 'checkpoints_iterator', 'parse_values', 'wait_for_new_checkpoint']

# One clause of `parse`: name, an optional [index], '=', and a value or a [list].
PARAM_RE = re.compile(r"""
  (?P<name>[a-zA-Z][\w\.]*)      # variable name: "var" or "x"
  (\[\s*(?P<index>\d+)\s*\])?  # (optional) index: "1" or None
  \s*=\s*
  ((?P<val>[^,\[]*)            # single value: "a" or None
   |
   \[(?P<vals>[^\]]*)\])       # list of values: None or "1,2,3"
  ($|,\s*)""", re.VERBOSE)


def _parse_fail(name, var_type, value, values):
    raise ValueError("Could not parse hparam '%s' of type '%s' with value '%s' in %s"
                     % (name, var_type.__name__, value, values))


def _reuse_fail(name, values):
    raise ValueError("Multiple assignments to variable '%s' in %s" % (name, values))


def _process_scalar_value(name, parse_fn, var_type, m_dict, values, results):
    try:
        parsed_value = parse_fn(m_dict['val'])
    except ValueError:
        _parse_fail(name, var_type, m_dict['val'], values)
    if not m_dict['index']:
        if name in results:
            _reuse_fail(name, values)
        results[name] = parsed_value
        return
    if name in results:
        if not isinstance(results.get(name), dict):  # assigned whole already
            _reuse_fail(name, values)
    else:
        results[name] = {}
    index = int(m_dict['index'])
    if index in results[name]:
        _reuse_fail('{}[{}]'.format(name, index), values)
    results[name][index] = parsed_value


def _process_list_value(name, parse_fn, var_type, m_dict, values, results):
    if m_dict['index'] is not None:
        raise ValueError('Assignment of a list to a list index.')
    elements = filter(None, re.split('[ ,]', m_dict['vals']))
    if name in results:
        _reuse_fail(name, values)
    try:
        results[name] = [parse_fn(e) for e in elements]
    except ValueError:
        _parse_fail(name, var_type, m_dict['vals'], values)


def _cast_to_type_if_compatible(name, param_type, value):
    """`value` as `param_type`, refusing what TF 1.x refused: a non-string as a string,
    a bool as a number or the other way round, a float as an int, a non-number as a
    number."""
    fail_msg = "Could not cast hparam '%s' of type '%s' from value %r" % (name, param_type,
                                                                          value)
    if type(value) == param_type:  # isinstance would take True as an int
        return value
    if issubclass(param_type, type(None)):
        return value
    if issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes)):
        raise ValueError(fail_msg)
    if issubclass(param_type, bool) != isinstance(value, bool):
        raise ValueError(fail_msg)
    if issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral):
        raise ValueError(fail_msg)
    if issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number):
        raise ValueError(fail_msg)
    return param_type(value)


def parse_values(values, type_map, ignore_unknown=False):
    """{name: value, list of values, or {index: value}} from 'x=5,L=[1,2],arr[1]=3',
    each parsed as its type in `type_map` (bools: true/false/True/False or an int)."""
    results = {}
    pos = 0
    while pos < len(values):
        m = PARAM_RE.match(values, pos)
        if not m:
            raise ValueError('Malformed hyperparameter value: %s' % values[pos:])
        pos = m.end()
        m_dict = m.groupdict()
        name = m_dict['name']
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError('Unknown hyperparameter type for %s' % name)
        type_ = type_map[name]
        if type_ == bool:
            def parse(value, name=name):
                if value in ['true', 'True']:
                    return True
                if value in ['false', 'False']:
                    return False
                try:
                    return bool(int(value))
                except ValueError:
                    _parse_fail(name, bool, value, values)
        else:
            parse = type_
        if m_dict['val'] is not None:
            _process_scalar_value(name, parse, type_, m_dict, values, results)
        elif m_dict['vals'] is not None:
            _process_list_value(name, parse, type_, m_dict, values, results)
        else:
            _parse_fail(name, type_, '', values)
    return results


def _kind_name(param_type, is_list):
    """The HParamType field that holds a value of param_type: 'int64_value', 'bytes_list' ..."""
    if issubclass(param_type, bool):  # before int, of which bool is a subclass
        kind = 'bool'
    elif issubclass(param_type, int):
        kind = 'int64'
    elif issubclass(param_type, (str, bytes)):
        kind = 'bytes'
    elif issubclass(param_type, float):
        kind = 'float'
    else:
        raise ValueError('Unsupported parameter type: %s' % str(param_type))
    return kind + ('_list' if is_list else '_value')


def _as_bytes(value):
    return value if isinstance(value, bytes) else value.encode('utf-8')


def _from_proto_value(kind, value):
    """A Python value of an HParamType field: int64 as int, bytes as str (UTF-8)."""
    if kind.startswith('int64'):
        return int(value)
    if kind.startswith('bytes'):
        return value.decode('utf-8')
    return value


class HParams(object):
    """Named hyperparameters as attributes, each with the type of its first value (or of
    its list's first element): `HParams(learning_rate=0.1, layers=[64, 64])`, then
    `.parse('learning_rate=0.3,layers=[32,32]')`, `.parse_json(...)`, `.values()`."""

    _HAS_DYNAMIC_ATTRIBUTES = True

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        self._hparam_types = {}  # name -> (type, whether a list)
        self._model_structure = model_structure
        if hparam_def:
            self._init_from_proto(hparam_def)
            if kwargs:
                raise ValueError('hparam_def and initialization values are mutually exclusive')
        else:
            for name, value in kwargs.items():
                self.add_hparam(name, value)

    def _init_from_proto(self, hparam_def):
        if not isinstance(hparam_def, HParamDef):  # TF 1.x's assert, with a message
            raise AssertionError('hparam_def must be an HParamDef protocol buffer, not %s'
                                 % type(hparam_def).__name__)
        for name, value in hparam_def.hparam.items():
            kind = value.WhichOneof('kind')
            if kind is None:
                raise ValueError('hparam %r of the HParamDef has no value' % name)
            values = getattr(value, kind)
            if kind.endswith('_list'):
                self.add_hparam(name, [_from_proto_value(kind, v) for v in values.value])
            else:
                self.add_hparam(name, _from_proto_value(kind, values))

    def to_proto(self, export_scope=None):
        """The HParamDef protocol buffer of these hyperparameters (`export_scope` unused,
        as in TF 1.x)."""
        hparam_def = HParamDef()
        for name, (param_type, is_list) in self._hparam_types.items():
            kind = _kind_name(param_type, is_list)
            value = getattr(self, name)
            if kind.startswith('bytes'):
                value = [_as_bytes(v) for v in value] if is_list else _as_bytes(value)
            if is_list:
                getattr(hparam_def.hparam[name], kind).value.extend(value)
            else:
                setattr(hparam_def.hparam[name], kind, value)
        return hparam_def

    @staticmethod
    def from_proto(hparam_def, import_scope=None):
        return HParams(hparam_def=hparam_def)

    def add_hparam(self, name, value):
        if getattr(self, name, None) is not None:
            raise ValueError('Hyperparameter name is reserved: %s' % name)
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError('Multi-valued hyperparameters cannot be empty: %s' % name)
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """Sets an existing hyperparameter, cast to its type (KeyError if none)."""
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError('Must not pass a list for single-valued parameter: %s' % name)
            setattr(self, name, [_cast_to_type_if_compatible(name, param_type, v)
                                 for v in value])
        else:
            if is_list:
                raise ValueError('Must pass a list for multi-valued parameter: %s.' % name)
            setattr(self, name, _cast_to_type_if_compatible(name, param_type, value))

    def del_hparam(self, name):
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Overrides hyperparameters from 'name=value,...' (see parse_values)."""
        type_map = {name: param_type for name, (param_type, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_from_map(self, values_map):
        """Deprecated in TF 1.x: override_from_dict."""
        return self.override_from_dict(values_dict=values_map)

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        return json.dumps(self.values(), indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        """{name: value} of every hyperparameter."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        """The value of `key`, else `default` (which must fit the key's type if it has one)."""
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_param_list = self._hparam_types[key]
            type_str = 'list<%s>' % param_type if is_param_list else str(param_type)
            fail_msg = ("Hparam '%s' of type '%s' is incompatible with default=%s"
                        % (key, type_str, default))
            if is_param_list != isinstance(default, list):
                raise ValueError(fail_msg)
            try:
                for value in (default if isinstance(default, list) else [default]):
                    _cast_to_type_if_compatible(key, param_type, value)
            except ValueError as e:
                raise ValueError('%s. %s' % (fail_msg, e))
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return ','.join('{}={}'.format(key, value) for key, value in self.values().items())

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, str(sorted(self.values().items())))


# HParams in a graph's 'hparams' collection go into its MetaGraphDef and come back, as in
# TF 1.x (once: this module may be loaded again by another name).
if ops.get_collection_proto_type('hparams') is None:
    ops.register_proto_function('hparams', proto_type=HParamDef, to_proto=HParams.to_proto,
                                from_proto=HParams.from_proto)
