"""Every function, class and method of TF 1.15's API that tf1 makes itself (methods: of
tf.layers', tf.nn.rnn_cell's and tf.estimator's classes) takes TF 1.15's arguments (tests/tf1_api_argspecs.txt, from TensorFlow's v1 API goldens by
scripts/tf1_api_names.py): each of its argument names, so that a call by keyword works, in
TF 1.15's order, so that a call by position does (tf1's may add arguments after them).
What TF 2.21 itself provides is TensorFlow's business, not looked at."""
import inspect
import os

import tensorflow.compat.v1 as tf

from test_tf1_api_names import lookup

tf.disable_v2_behavior()

ARGSPECS = os.path.join(os.path.dirname(__file__), 'tf1_api_argspecs.txt')

# A cell's build is called by position, by the cell itself: its argument's name in TF 1.15's
# goldens was a decorator's (`input_shape`) or `_`; tf1's cells name it `inputs_shape`, as
# rnn_cell_impl's own source did.
CELL_BUILDS = {'tensorflow.nn.rnn_cell.%s.build' % cell for cell in (
    'BasicLSTMCell', 'BasicRNNCell', 'DeviceWrapper', 'DropoutWrapper', 'GRUCell', 'LSTMCell',
    'MultiRNNCell', 'RNNCell', 'ResidualWrapper')}


def tf1s_own():
    """(dotted name, TF 1.15's argument names, tf1's parameters) of what tf1 defines."""
    with open(ARGSPECS) as lines:
        for line in lines:
            dotted, name, names = (line.split() + [''])[:3]
            path = dotted.split('.')[1:]
            try:
                function = lookup(path, name)  # a class's method, or a module's function
            except Exception:  # noqa: BLE001 (not provided: test_tf1_api_names's business)
                continue
            if not (getattr(function, '__module__', None) or '').startswith('tf1'):
                continue
            try:
                parameters = list(inspect.signature(function).parameters.values())
            except (TypeError, ValueError):
                continue
            if '.' in function.__qualname__ and parameters[:1] and (
                    parameters[0].name in ('self', 'cls')):  # a method's
                parameters = parameters[1:]
            yield dotted + '.' + name, [n for n in names.split(',') if n], parameters


def test_tf1s_functions_and_classes_take_tf_1_15s_arguments():
    checked, wrong = 0, {}
    for dotted, names, parameters in tf1s_own():
        checked += 1
        kinds = {p.kind for p in parameters}
        ours = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                          p.POSITIONAL_OR_KEYWORD,
                                                          p.KEYWORD_ONLY)]
        positional = [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
        missing = [n for n in names if n not in ours]
        if dotted in CELL_BUILDS:
            assert ours == ['inputs_shape'], dotted
        elif missing and inspect.Parameter.VAR_KEYWORD not in kinds:
            wrong[dotted] = 'lacks %s' % missing
        elif positional[:len(names)] != names[:len(positional)]:  # the rest by **kwargs
            wrong[dotted] = 'order %s, TF 1.15 %s' % (positional, names)
    assert checked > 100
    assert wrong == {}
