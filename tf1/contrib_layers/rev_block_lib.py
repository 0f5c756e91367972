"""contrib.layers' reversible residual blocks and recomputed gradients (TF 1.7-1.15, ported
from contrib/layers/python/layers/rev_block_lib.py): memory-saving backpropagation.

    rev_block(x1, x2, f, g, num_layers)  y1 = x1 + f(x2), y2 = x2 + g(y1), layer after
    RevBlock                             layer; the backward pass recomputes each layer's
                                         inputs from its outputs instead of keeping them
    recompute_grad(fn)                   fn's activations recomputed on the backward pass

As in TF 1.x, the variables they make must be resource variables (`variable_scope(...,
use_resource=True)`; rev_block makes its own so), and fn must not close over tensors."""
import functools
import re

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.eager import backprop
from tensorflow.python.ops import control_flow_util
from tensorflow.python.util import tf_inspect

from tf1.contrib_framework.arg_scope import arg_scope, current_arg_scope
from tf1.layers.base import Layer

__all__ = ['rev_block', 'RevBlock', 'recompute_grad']

LAYER_RE = re.compile('.*revlayer_([0-9]*)/([fg])/.*')
_USE_DEFAULT = '__rev_block_lib_default'
_WRONG_VARS_ERR = (
    'The variables used on recompute were different than the variables originally used. '
    'The function wrapped with @recompute_grad likley creates its own variable scope with a '
    'default name and has been called twice in the same enclosing scope. To fix, ensure each '
    'call to the function happens in its own unique variable scope.')


def _acc_grads(*lists_of_grads):
    """The sums of gradients, position by position (None where all are None)."""
    acc_grads = []
    for grads in zip(*lists_of_grads):
        grads = [g for g in grads if g is not None]
        acc_grads.append(tf.add_n(grads) if grads else None)
    return acc_grads


def _rev_layer_forward(xs, f, g, f_side_input, g_side_input, gate_outputs=False):
    x1, x2 = xs
    y1 = x1 + (f(x2, f_side_input) if f_side_input else f(x2))
    y2 = x2 + (g(y1, g_side_input) if g_side_input else g(y1))
    return tf.tuple([y1, y2]) if gate_outputs else (y1, y2)


def _rev_layer_backward(ys, grad_ys, f, g, f_vars, f_side_input, g_vars, g_side_input):
    """One layer's inputs recomputed from its outputs, and the gradients through it."""
    y1, y2 = ys
    grad_y1, grad_y2 = grad_ys
    y1_stop = tf.stop_gradient(y1)
    g_side_input = [tf.stop_gradient(t) for t in g_side_input]
    gy1 = g(y1_stop, g_side_input) if g_side_input else g(y1_stop)
    x2 = y2 - gy1
    x2_stop = tf.stop_gradient(x2)
    f_side_input = [tf.stop_gradient(t) for t in f_side_input]
    fx2 = f(x2_stop, f_side_input) if f_side_input else f(x2_stop)
    x1 = y1 - fx2
    grad_gy1_y2 = tf.gradients(gy1, y1_stop, grad_y2)[0]
    grad_x1 = grad_y1 + grad_gy1_y2
    grad_x2 = (tf.gradients(fx2, x2_stop, grad_y1)[0] + grad_y2 +
               tf.gradients(fx2, x2_stop, grad_gy1_y2)[0])
    grads1 = tf.gradients(gy1, g_vars + g_side_input, grad_y2)
    grad_g_vars, grad_g_side = grads1[:len(g_vars)], grads1[len(g_vars):]
    grads2 = tf.gradients(fx2, f_vars + f_side_input, grad_y1)
    grad_f_y1, grad_f_side1 = grads2[:len(f_vars)], grads2[len(f_vars):]
    grads3 = tf.gradients(fx2, f_vars + f_side_input, grad_gy1_y2)
    grad_f_y2, grad_f_side2 = grads3[:len(f_vars)], grads3[len(f_vars):]
    outputs = ((x1, x2), (grad_x1, grad_x2),
               (_acc_grads(grad_f_y1, grad_f_y2), _acc_grads(grad_f_side1, grad_f_side2)),
               (grad_g_vars, grad_g_side))
    return tf.nest.pack_sequence_as(outputs, tf.tuple(tf.nest.flatten(outputs)))


def _safe_wraps(fn):
    if isinstance(fn, functools.partial):
        return lambda f: f
    return functools.wraps(fn)


def _scope_wrap(fn, scope):
    @_safe_wraps(fn)
    def wrap(*args, **kwargs):
        with tf.variable_scope(scope, use_resource=True):
            return fn(*args, **kwargs)
    return wrap


class RevBlock(Layer):
    """A block of reversible layers (see rev_block)."""

    def __init__(self, f, g, num_layers=1, f_side_input=None, g_side_input=None,
                 use_efficient_backprop=True, name='revblock', **kwargs):
        super(RevBlock, self).__init__(name=name, **kwargs)
        f = f if isinstance(f, list) else [f] * num_layers
        g = g if isinstance(g, list) else [g] * num_layers
        if len(f) != num_layers or len(g) != num_layers:
            raise ValueError('RevBlock: f and g as lists need one function per layer '
                             '(num_layers=%d)' % num_layers)
        self.f = [_scope_wrap(fn, 'revlayer_%d/f' % i) for i, fn in enumerate(f)]
        self.g = [_scope_wrap(fn, 'revlayer_%d/g' % i) for i, fn in enumerate(g)]
        self.num_layers = num_layers
        self.f_side_input = f_side_input or []
        self.g_side_input = g_side_input or []
        self._use_efficient_backprop = use_efficient_backprop

    def call(self, inputs, forward=True):
        vs = tf.get_variable_scope()
        vars_before = vs.global_variables()
        out = self._forward(*inputs) if forward else self._backward(*inputs)
        train_vars = vs.trainable_variables()
        for new_var in vs.global_variables()[len(vars_before):]:  # the layer's own
            self._layer_variables.append(new_var)
            trainable = any(new_var is v for v in train_vars)
            (self._trainable_weights if trainable else self._non_trainable_weights).append(
                new_var)
        return out

    def forward(self, x1, x2):
        return self.apply([x1, x2])

    def backward(self, y1, y2):
        return self.apply([y1, y2], forward=False)

    def build(self, _):
        tf.logging.warn('RevBlock constructs its variables on first call, not on build.')
        self.built = True

    def _make_efficient_grad_fn(self, inputs_, ys_):
        def _efficient_grad_fn(*grad_ys, **kwargs):
            """The gradients of a block, each layer's inputs recomputed from its outputs."""
            ys, variables, side_inputs = ys_, kwargs['variables'], inputs_[2:]
            f_side_idxs = [side_inputs.index(t) for t in self.f_side_input]
            g_side_idxs = [side_inputs.index(t) for t in self.g_side_input]
            f_vars = [[] for _ in range(self.num_layers)]
            g_vars = [[] for _ in range(self.num_layers)]
            f_vars_idxs = [[] for _ in range(self.num_layers)]
            g_vars_idxs = [[] for _ in range(self.num_layers)]
            for i, ref in enumerate(variables):
                regex = LAYER_RE.match(ref.name)
                layer_no, fn_name = int(regex.group(1)), regex.group(2)
                (f_vars if fn_name == 'f' else g_vars)[layer_no].append(ref)
                (f_vars_idxs if fn_name == 'f' else g_vars_idxs)[layer_no].append(i)
            f_var_grads, g_var_grads, f_side_grads, g_side_grads = [], [], [], []
            with tf.variable_scope(self.scope_name, reuse=True):
                for i in reversed(range(self.num_layers)):
                    ys, grad_ys, f_ret, g_ret = _rev_layer_backward(
                        ys, grad_ys, self.f[i], self.g[i], f_vars[i], self.f_side_input,
                        g_vars[i], self.g_side_input)
                    f_var_grads.append(f_ret[0])
                    g_var_grads.append(g_ret[0])
                    f_side_grads.append(f_ret[1])
                    g_side_grads.append(g_ret[1])
            side_input_grads = [None] * len(side_inputs)
            variable_grads = [None] * len(variables)
            f_var_grads.reverse()
            g_var_grads.reverse()
            for idxs, grads in (list(zip(f_vars_idxs, f_var_grads)) +
                                list(zip(g_vars_idxs, g_var_grads))):
                for i, grad in zip(idxs, grads):
                    variable_grads[i] = grad
            for idxs, grads in ((f_side_idxs, _acc_grads(*f_side_grads)),
                                (g_side_idxs, _acc_grads(*g_side_grads))):
                for i, grad in zip(idxs, grads):
                    side_input_grads[i] = grad
            return list(grad_ys) + side_input_grads, variable_grads
        return _efficient_grad_fn

    def _forward(self, x1, x2):
        side_inputs = [self.f_side_input, self.g_side_input]
        flat_side_inputs = tf.nest.flatten(side_inputs)

        def _forward_wrap(x1_, x2_, *flat_side_inputs):
            f_side, g_side = tf.nest.pack_sequence_as(side_inputs, flat_side_inputs)
            out = (x1_, x2_)
            for i in range(self.num_layers):
                out = _rev_layer_forward(out, self.f[i], self.g[i], f_side, g_side,
                                         gate_outputs=self._use_efficient_backprop)
            return out

        @tf.custom_gradient
        def _forward_with_custom_grad(*args):
            out = _forward_wrap(*args)
            return out, self._make_efficient_grad_fn(args, out)
        if self._use_efficient_backprop:
            return _forward_with_custom_grad(x1, x2, *flat_side_inputs)
        return _forward_wrap(x1, x2, *flat_side_inputs)

    def _backward(self, y1, y2):
        for i in reversed(range(self.num_layers)):
            gy1 = self.g[i](y1, self.g_side_input) if self.g_side_input else self.g[i](y1)
            x2 = y2 - gy1
            fx2 = self.f[i](x2, self.f_side_input) if self.f_side_input else self.f[i](x2)
            x1 = y1 - fx2
            y1, y2 = x1, x2
        return x1, x2


def rev_block(x1, x2, f, g, num_layers=1, f_side_input=None, g_side_input=None,
              is_training=True):
    """num_layers reversible residual layers, y1 = x1 + f(x2, f_side_input), y2 = x2 +
    g(y1, g_side_input), each with its own variables; with is_training the backward pass
    recomputes the activations. f and g must keep their input's shape and take side
    inputs only through f_side_input and g_side_input."""
    block = RevBlock(f=f, g=g, num_layers=num_layers, f_side_input=f_side_input,
                     g_side_input=g_side_input, use_efficient_backprop=is_training,
                     _reuse=tf.get_variable_scope().reuse)
    return block.forward(x1, x2)


def enable_with_args(dec):
    """A decorator for decorators, usable with or without arguments."""
    @_safe_wraps(dec)
    def new_dec(*args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return dec(args[0])
        return lambda fn: dec(fn, *args, **kwargs)
    return new_dec


@enable_with_args
def recompute_grad(fn, use_data_dep=_USE_DEFAULT, tupleize_grads=False):
    """fn, its activations discarded and recomputed on the backward pass (in fn's variable
    and arg scopes; fn may take `is_recomputing`)."""
    if fn.__code__.co_freevars:
        for var_name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            value = cell.cell_contents
            if isinstance(value, (tf.Tensor, tf.Variable)):
                raise ValueError(
                    'fn decorated with @recompute_grad closes over Tensor %s (local variable '
                    'name: %s). The decorated fn must not close over Tensors or Variables '
                    'because gradients will NOT be computed for them through fn. To ensure '
                    'correct gradients, make the Tensor an input to fn.'
                    % (value.name, var_name))

    @_safe_wraps(fn)
    def wrapped(*args):
        return _recompute_grad(fn, args, use_data_dep=use_data_dep,
                               tupleize_grads=tupleize_grads)
    return wrapped


def _is_on_tpu():
    context = tf.get_default_graph()._get_control_flow_context()
    return control_flow_util.GetContainingXLAContext(context) is not None


def _recomputing_grad_fn(compute_fn, original_args, original_vars, output_grads,
                         grad_fn_variables, use_data_dep, tupleize_grads, scope_args,
                         var_scope, has_is_recompute_kwarg):
    variables = grad_fn_variables or []
    inputs = [tf.identity(x) for x in list(original_args)]
    with tf.control_dependencies([g for g in output_grads if g is not None]):
        if use_data_dep:
            inputs = _force_data_dependency(output_grads, inputs)
        with arg_scope(scope_args):
            with tf.variable_scope(var_scope, reuse=True):
                with backprop.GradientTape() as tape:
                    fn_kwargs = {'is_recomputing': True} if has_is_recompute_kwarg else {}
                    outputs = compute_fn(*inputs, **fn_kwargs)
                if original_vars != set(tape.watched_variables()):
                    raise ValueError(_WRONG_VARS_ERR)
    outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    grads = tf.gradients(outputs, inputs + variables, output_grads)
    if tupleize_grads:
        grads = _force_data_dependency(grads, grads) if use_data_dep else tf.tuple(grads)
    return grads[:len(inputs)], grads[len(inputs):]


def _recompute_grad(fn, args, use_data_dep=_USE_DEFAULT, tupleize_grads=False):
    has_is_recompute_kwarg = 'is_recomputing' in tf_inspect.getargspec(fn).args
    for arg in args:
        if not isinstance(arg, tf.Tensor):
            raise ValueError('All inputs to function must be Tensors')
    use_data_dep_ = _is_on_tpu() if use_data_dep == _USE_DEFAULT else use_data_dep

    @tf.custom_gradient
    def fn_with_recompute(*args):
        vs = tf.get_variable_scope()
        scope_args = current_arg_scope()
        with backprop.GradientTape() as tape:
            fn_kwargs = {'is_recomputing': False} if has_is_recompute_kwarg else {}
            outputs = fn(*args, **fn_kwargs)
        original_vars = set(tape.watched_variables())

        def _grad_fn(output_grads, variables=None):
            if original_vars and set(variables or ()) != original_vars:
                raise ValueError(_WRONG_VARS_ERR)
            return _recomputing_grad_fn(fn, args, original_vars, output_grads, variables,
                                        use_data_dep_, tupleize_grads, scope_args, vs,
                                        has_is_recompute_kwarg)
        if original_vars:
            def grad_fn(*output_grads, **kwargs):
                return _grad_fn(output_grads, kwargs['variables'])
        else:
            def grad_fn(*output_grads):
                return _grad_fn(output_grads)
        return outputs, grad_fn
    return fn_with_recompute(*args)


def _force_data_dependency(first_compute, then_compute):
    """then_compute, made to depend on first_compute by a zero added to each (XLA on TPUs
    ignores control dependencies). Floating dtypes only."""
    def _first_element(x):
        if x.get_shape().ndims is None:
            raise ValueError('Rank of Tensor %s must be known' % x)
        ndims = x.get_shape().ndims
        return tf.reshape(tf.slice(x, [0] * ndims, [1] * ndims), [])
    first_compute_sum = tf.add_n([_first_element(x) for x in first_compute if x is not None])
    dtype = first_compute_sum.dtype
    if not dtype.is_floating:
        raise ValueError('_force_data_dependency only supports floating dtypes.')
    zero = tf.stop_gradient(np.finfo(dtype.as_numpy_dtype).tiny * first_compute_sum)
    return [tf.identity(x) + zero if x is not None else None for x in then_compute]
