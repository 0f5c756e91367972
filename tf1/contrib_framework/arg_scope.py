"""arg_scope: default keyword arguments for a set of layer functions, as TF 1.x's
tf.contrib.framework (and tf.contrib.slim) had them:

    with arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                   weights_regularizer=slim.l2_regularizer(0.0005)):
        net = slim.conv2d(images, 32, [5, 5], scope='conv1')   # relu, regularised
        net = slim.conv2d(net, 64, [5, 5], padding='VALID')     # an argument given wins

Only functions decorated with @add_arg_scope take part (every tf.contrib.layers layer,
slim.variable and slim.model_variable are); scopes nest, the inner value winning, and
`with arg_scope(sc):` re-enters a scope that an earlier `as sc` kept. A port of
tensorflow/contrib/framework/python/ops/arg_scope.py (TF 1.15): the same stack, keys and
errors, so code that inspects them behaves the same."""
import contextlib
import functools

__all__ = ['arg_scope', 'add_arg_scope', 'current_arg_scope', 'has_arg_scope',
           'arg_scoped_arguments', 'arg_scope_func_key']

_ARGSTACK = [{}]       # one {function key: {argument: value}} per open arg_scope
_DECORATED_OPS = {}    # function key → the names of its keyword arguments


def _current_arg_scope():
    if not _ARGSTACK:
        _ARGSTACK.append({})
    return _ARGSTACK[-1]


def arg_scope_func_key(op):
    """The key a function's defaults have in a scope's dict."""
    return getattr(op, '_key_op', str(op))


_key_op = arg_scope_func_key


def _kwarg_names(func):
    kwargs_length = len(func.__defaults__) if func.__defaults__ else 0
    return func.__code__.co_varnames[-kwargs_length:func.__code__.co_argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Within the block, `kwargs` are the default arguments of each function of
    `list_ops_or_scope` (a list or tuple of @add_arg_scope functions), on top of the
    enclosing scope's; or re-enter a scope (the dict an earlier arg_scope yielded), with no
    kwargs. Yields the scope now in force: {function key: {argument: value}}."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError('When attempting to re-use a scope by suppling a dictionary, '
                             'kwargs must be empty.')
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError('list_ops_or_scope must either be a list/tuple or reused scope '
                            '(i.e. dict)')
        current_scope = _current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError('%s is not decorated with @add_arg_scope'
                                 % (getattr(op, '__name__', op),))
            key = _key_op(op)
            current_scope[key] = dict(current_scope.get(key, {}), **kwargs)
    _ARGSTACK.append(current_scope)
    try:
        yield current_scope
    finally:
        _ARGSTACK.pop()


def add_arg_scope(func):
    """`func`, taking its keyword arguments' defaults from the arg_scopes in force; an
    argument the call gives wins."""
    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scoped = _current_arg_scope().get(_key_op(func))
        if scoped:
            kwargs = dict(scoped, **kwargs)
        return func(*args, **kwargs)
    if _key_op(func) not in _DECORATED_OPS:
        _DECORATED_OPS[_key_op(func)] = _kwarg_names(func)
    func_with_args._key_op = _key_op(func)
    return func_with_args


def current_arg_scope():
    """The scope in force: {function key: {argument: value}}."""
    return _current_arg_scope()


def has_arg_scope(func):
    """Whether `func` was decorated with @add_arg_scope."""
    return _key_op(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    """The keyword arguments an arg_scope can set for the decorated `func`."""
    assert has_arg_scope(func)
    return _DECORATED_OPS[_key_op(func)]
