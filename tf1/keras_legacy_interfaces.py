"""Keras 1's API in standalone Keras 2.0-2.2 (keras/legacy/interfaces.py, ported): 2016's
scripts - `Convolution2D(32, 3, 3, border_mode='same')`, `Dense(output_dim=10,
init='uniform')`, `model.fit(x, y, nb_epoch=12)` - ran on Keras 2 with a warning naming the
Keras 2 call ("Update your `Conv2D` call to the Keras 2 API: ..."); tf_keras dropped the
converters. Here each layer of standalone `keras.layers` that Keras 2 converted is tf_keras's
layer with its converter; Model takes `input`/`output` and the generator methods
`samples_per_epoch`, `nb_epoch` ... (tf_keras's fit converts `nb_epoch` itself).

Only standalone Keras gets these (`import keras`): TF 1.x's tf.keras never converted.
"""
import functools
import warnings

from tf_keras.api._v1.keras import layers

from tf1.keras_legacy_layers import legacy_layers

_DIM_ORDERING = {'dim_ordering': {'tf': 'channels_last', 'th': 'channels_first',
                                  'default': None}}
_WEIGHTS = [('init', 'kernel_initializer'), ('W_regularizer', 'kernel_regularizer'),
            ('b_regularizer', 'bias_regularizer'), ('W_constraint', 'kernel_constraint'),
            ('b_constraint', 'bias_constraint'), ('bias', 'use_bias')]
_CONV = [('nb_filter', 'filters'), ('subsample', 'strides'), ('border_mode', 'padding'),
         ('dim_ordering', 'data_format')] + _WEIGHTS
_RECURRENT = [('output_dim', 'units'), ('init', 'kernel_initializer'),
              ('inner_init', 'recurrent_initializer'),
              ('inner_activation', 'recurrent_activation'),
              ('W_regularizer', 'kernel_regularizer'), ('b_regularizer', 'bias_regularizer'),
              ('U_regularizer', 'recurrent_regularizer'), ('dropout_W', 'dropout'),
              ('dropout_U', 'recurrent_dropout'), ('consume_less', 'implementation')]
_CONSUME_LESS = {'consume_less': {'cpu': 0, 'mem': 1, 'gpu': 2}}
_POOLING = [('border_mode', 'padding'), ('dim_ordering', 'data_format')]


def _kernel_size(args, kwargs, names):
    """Keras 1's `Convolution2D(filters, nb_row, nb_col)`: the kernel's sides given one by
    one, positionally after the filters or by name; Keras 2 takes one kernel_size."""
    args, dimensions = list(args), len(names)  # args[0] is the layer
    if len(args) > dimensions + 2:
        raise TypeError('Layer can receive at most %d positional arguments.' % (dimensions + 1))
    sides, converted = args[2:], [('kernel_size', '/'.join(names))]
    if sides and all(isinstance(side, int) for side in sides):
        if len(sides) == 2 and any(name in kwargs for name in
                                   ('padding', 'strides', 'data_format')):
            raise ValueError('It seems that you are using the Keras 2 and you are passing both '
                             '`kernel_size` and `strides` as integer positional arguments. '
                             'For safety reasons, this is disallowed. Pass `strides` as a '
                             'keyword argument instead.')
        missing = names[len(sides):]
        if len(sides) + len(missing) > 1 and all(name in kwargs for name in missing):
            kernel = tuple(sides) + tuple(kwargs.pop(name) for name in missing)
            return args[:2] + [kernel], kwargs, converted
    elif not sides and all(name in kwargs for name in names):
        kernel = tuple(kwargs.pop(name) for name in names)
        if len(args) == 2:
            return args + [kernel], kwargs, converted
        kwargs['kernel_size'] = kernel
        return args, kwargs, converted
    return args, kwargs, []


def _conv1d(args, kwargs):
    if 'input_dim' in kwargs:
        kwargs['input_shape'] = (kwargs.pop('input_length', None), kwargs.pop('input_dim'))
        return args, kwargs, [('input_shape', 'input_dim')]
    return args, kwargs, []


def _conv2d(args, kwargs):
    return _kernel_size(args, kwargs, ('nb_row', 'nb_col'))


def _conv3d(args, kwargs):
    return _kernel_size(args, kwargs, ('kernel_dim1', 'kernel_dim2', 'kernel_dim3'))


def _separable_conv2d(args, kwargs):
    converted = []
    if 'init' in kwargs:
        kwargs['depthwise_initializer'] = kwargs['pointwise_initializer'] = kwargs.pop('init')
        converted.append(('init', 'depthwise_initializer/pointwise_initializer'))
    args, kwargs, more = _conv2d(args, kwargs)
    return args, kwargs, converted + more


def _deconv2d(args, kwargs):
    converted = []
    if len(args) == 5 and isinstance(args[4], tuple):  # Keras 1's output_shape
        args = args[:-1]
        converted.append(('output_shape', None))
    if kwargs.pop('output_shape', None) is not None:
        converted.append(('output_shape', None))
    args, kwargs, more = _conv2d(args, kwargs)
    return args, kwargs, converted + more


def _forget_bias(kwargs):
    """Keras 1's `forget_bias_init='one'` of the LSTMs: Keras 2's unit_forget_bias."""
    if 'forget_bias_init' not in kwargs:
        return []
    if kwargs.pop('forget_bias_init') == 'one':
        kwargs['unit_forget_bias'] = True
        return [('forget_bias_init', 'unit_forget_bias')]
    warnings.warn('The `forget_bias_init` argument has been ignored. Use '
                  '`unit_forget_bias=True` instead to initialize with ones.', stacklevel=5)
    return []


def _recurrent(args, kwargs):
    converted = _forget_bias(kwargs)
    if 'input_dim' in kwargs:
        kwargs['input_shape'] = (kwargs.pop('input_length', None), kwargs.pop('input_dim'))
        converted.append(('input_dim', 'input_shape'))
    return args, kwargs, converted


def _convlstm2d(args, kwargs):
    converted = _forget_bias(kwargs)
    args, kwargs, more = _conv2d(args, kwargs)
    return args, kwargs, converted + more


def _embedding(args, kwargs):
    if kwargs.pop('dropout', None) is not None:
        warnings.warn('The `dropout` argument is no longer support in `Embedding`. You can '
                      'apply a `keras.layers.SpatialDropout1D` layer right after the '
                      '`Embedding` layer to get the same behavior.', stacklevel=4)
    return args, kwargs, []


def _batchnorm(args, kwargs):
    if len(args) > 1:
        raise TypeError('The `BatchNormalization` layer does not accept positional arguments. '
                        'Use keyword arguments instead.')
    if 'mode' in kwargs:
        if kwargs.pop('mode') != 0:
            raise TypeError('The `mode` argument of `BatchNormalization` no longer exists. '
                            '`mode=1` and `mode=2` are no longer supported.')
        return args, kwargs, [('mode', None)]
    return args, kwargs, []


# Each converted layer: (tf_keras layer, Keras 1 names, positional arguments Keras 2 takes,
# renamed arguments, renamed values, preprocessor), as Keras 2.2.4 declared them.
_LAYERS = {
    'Dense': ('Dense', ['units'], [('output_dim', 'units')] + _WEIGHTS, {}, None),
    'Dropout': ('Dropout', ['rate', 'noise_shape', 'seed'], [('p', 'rate')], {}, None),
    'Embedding': ('Embedding', ['input_dim', 'output_dim'],
                  [('init', 'embeddings_initializer'), ('W_regularizer', 'embeddings_regularizer'),
                   ('W_constraint', 'embeddings_constraint')], {}, _embedding),
    'Conv1D': ('Conv1D', ['filters', 'kernel_size'],
               [('nb_filter', 'filters'), ('filter_length', 'kernel_size'),
                ('subsample_length', 'strides'), ('border_mode', 'padding')] + _WEIGHTS, {},
               _conv1d),
    'Conv2D': ('Conv2D', ['filters', 'kernel_size'], _CONV, _DIM_ORDERING, _conv2d),
    'Conv3D': ('Conv3D', ['filters', 'kernel_size'], _CONV, _DIM_ORDERING, _conv3d),
    'SeparableConv2D': ('SeparableConv2D', ['filters', 'kernel_size'],
                        [name for name in _CONV if name[0] not in
                         ('init', 'W_regularizer', 'W_constraint')], _DIM_ORDERING,
                        _separable_conv2d),
    'Conv2DTranspose': ('Conv2DTranspose', ['filters', 'kernel_size'], _CONV, _DIM_ORDERING,
                        _deconv2d),
    'ConvLSTM2D': ('ConvLSTM2D', ['filters', 'kernel_size'],
                   [('nb_filter', 'filters'), ('subsample', 'strides'),
                    ('border_mode', 'padding'), ('dim_ordering', 'data_format'),
                    ('init', 'kernel_initializer'), ('inner_init', 'recurrent_initializer'),
                    ('W_regularizer', 'kernel_regularizer'),
                    ('U_regularizer', 'recurrent_regularizer'),
                    ('b_regularizer', 'bias_regularizer'),
                    ('inner_activation', 'recurrent_activation'), ('dropout_W', 'dropout'),
                    ('dropout_U', 'recurrent_dropout'), ('bias', 'use_bias')],
                   _DIM_ORDERING, _convlstm2d),
    'SimpleRNN': ('SimpleRNN', ['units'], _RECURRENT, _CONSUME_LESS, _recurrent),
    'GRU': ('GRU', ['units'], _RECURRENT, _CONSUME_LESS, _recurrent),
    'LSTM': ('LSTM', ['units'], _RECURRENT, _CONSUME_LESS, _recurrent),
    'BatchNormalization': ('BatchNormalization', [], [('beta_init', 'beta_initializer'),
                                                      ('gamma_init', 'gamma_initializer')],
                           {}, _batchnorm),
    'GaussianNoise': ('GaussianNoise', ['stddev'], [('sigma', 'stddev')], {}, None),
    'GaussianDropout': ('GaussianDropout', ['rate'], [('p', 'rate')], {}, None),
    'PReLU': ('PReLU', ['alpha_initializer'], [('init', 'alpha_initializer')], {}, None),
    'SpatialDropout1D': ('SpatialDropout1D', ['rate'], [('p', 'rate')], {}, None),
    'UpSampling1D': ('UpSampling1D', ['size'], [('length', 'size')], {}, None),
    'MaxPooling1D': ('MaxPooling1D', ['pool_size', 'strides', 'padding'],
                     [('pool_length', 'pool_size'), ('stride', 'strides'),
                      ('border_mode', 'padding')], {}, None),
    'AveragePooling1D': ('AveragePooling1D', ['pool_size', 'strides', 'padding'],
                         [('pool_length', 'pool_size'), ('stride', 'strides'),
                          ('border_mode', 'padding')], {}, None),
}
for _name in ('MaxPooling2D', 'AveragePooling2D', 'MaxPooling3D', 'AveragePooling3D'):
    _LAYERS[_name] = (_name, ['pool_size', 'strides', 'padding'], _POOLING, _DIM_ORDERING, None)
for _name in ('GlobalMaxPooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling2D',
              'GlobalAveragePooling2D', 'GlobalMaxPooling3D', 'GlobalAveragePooling3D'):
    _LAYERS[_name] = (_name, None, [('dim_ordering', 'data_format')], _DIM_ORDERING, None)
for _name, _positional in (('UpSampling2D', 'size'), ('UpSampling3D', 'size'),
                           ('ZeroPadding2D', 'padding'), ('ZeroPadding3D', 'padding'),
                           ('Cropping2D', 'cropping'), ('Cropping3D', 'cropping')):
    _LAYERS[_name] = (_name, [_positional], [('dim_ordering', 'data_format')], _DIM_ORDERING,
                      None)
for _name in ('SpatialDropout2D', 'SpatialDropout3D'):
    _LAYERS[_name] = (_name, ['rate'], [('p', 'rate'), ('dim_ordering', 'data_format')],
                      _DIM_ORDERING, None)
# Keras 1's class names, which Keras 2 kept as aliases.
_ALIASES = {'Convolution1D': 'Conv1D', 'Convolution2D': 'Conv2D', 'Convolution3D': 'Conv3D',
            'Deconvolution2D': 'Conv2DTranspose', 'SeparableConvolution2D': 'SeparableConv2D'}


def convert(object_name, args, kwargs, positional=None, renamed=(), values=None,
            preprocessor=None, stacklevel=3):
    """Keras 1's arguments as Keras 2's, warning as Keras 2 did when any were converted
    (at the caller `stacklevel` frames up: the script's line)."""
    args, kwargs = list(args), dict(kwargs)
    converted = []
    if preprocessor is not None:
        args, kwargs, converted = preprocessor(args, kwargs)
    if positional is not None and len(args) > len(positional) + 1:
        raise TypeError('`%s` can accept only %d positional arguments %s, but you passed the '
                        'following positional arguments: %s' % (
                            object_name, len(positional), tuple(positional), list(args[1:])))
    for key, mapping in (values or {}).items():
        if key in kwargs and kwargs[key] in mapping:
            kwargs[key] = mapping[kwargs[key]]
    for old, new in renamed:
        if old in kwargs:
            if new in kwargs:
                raise TypeError('For the `%s` argument, the layer received both the legacy '
                                'keyword argument `%s` and the Keras 2 keyword argument '
                                '`%s`. Stick to the latter!' % (new, old, new))
            kwargs[new] = kwargs.pop(old)
            converted.append((new, old))
    if converted:
        call = ', '.join([repr(value) for value in args[1:]] +
                         ['%s=%r' % item for item in kwargs.items()])
        warnings.warn('Update your `%s` call to the Keras 2 API: `%s(%s)`'
                      % (object_name, object_name, call), stacklevel=stacklevel)
    return args, kwargs


def _legacy_layer(name):
    base_name, positional, renamed, values, preprocessor = _LAYERS[name]
    base = getattr(layers, base_name)

    def __init__(self, *args, **kwargs):
        args, kwargs = convert(base_name, (self,) + args, kwargs, positional, renamed, values,
                               preprocessor)
        base.__init__(*args, **kwargs)
    return type(base_name, (base,), {'__init__': __init__, '__module__': base.__module__,
                                     '__doc__': base.__doc__})


def _generator_arguments(method, model, args, kwargs):
    """(args, kwargs) with Keras 1's samples_per_epoch, nb_epoch, nb_val_samples,
    val_samples and nb_worker as Keras 2's names (samples become batches where the
    generator knows its batch size)."""
    if len(args) < 2 and 'samples_per_epoch' in kwargs:
        samples = kwargs.pop('samples_per_epoch')
        generator = args[0] if args else kwargs['generator']
        if hasattr(generator, 'batch_size'):
            kwargs['steps_per_epoch'] = samples // generator.batch_size
        else:
            warnings.warn('The semantics of the Keras 2 argument `steps_per_epoch` is not the '
                          'same as the Keras 1 argument `samples_per_epoch`. '
                          '`steps_per_epoch` is the number of batches to draw from the '
                          'generator at each epoch. Update your method calls accordingly.',
                          stacklevel=3)
            kwargs['steps_per_epoch'] = samples
    # No limit on positional arguments (Keras 2.2 allowed three): the methods are
    # tf_keras's, which tf.keras scripts in the same process call positionally too.
    args, kwargs = convert(method, (model,) + tuple(args), kwargs, None,
                           [('samples_per_epoch', 'steps_per_epoch'), ('val_samples', 'steps'),
                            ('nb_epoch', 'epochs'), ('nb_val_samples', 'validation_steps'),
                            ('nb_worker', 'workers'), ('pickle_safe', 'use_multiprocessing'),
                            ('max_q_size', 'max_queue_size')], stacklevel=4)
    return args[1:], kwargs


def _model_arguments(kwargs, warn):
    """Keras 1's `Model(input=..., output=...)`; Keras 2 warned once, in __init__."""
    if 'input' not in kwargs and 'output' not in kwargs:
        return kwargs
    renamed = [('input', 'inputs'), ('output', 'outputs')]
    if not warn:
        return {dict(renamed).get(key, key): value for key, value in kwargs.items()}
    return convert('Model', (None,), kwargs, renamed=renamed, stacklevel=4)[1]


def install(layers_namespace):
    """Standalone Keras's `keras.layers` (and its folded modules) get the converting
    layers and Keras 2.0-2.1's deprecated Keras 1 layers, and for the rest of the process
    Model takes `input=`/`output=`, the generator methods and a layer's add_weight Keras 1's
    arguments, as Keras 2.0-2.2 did (tf_keras's fit still converts nb_epoch itself)."""
    layers_namespace._provided.update(LAYERS)
    layers_namespace._provided.update(legacy_layers(LAYERS))
    from tf_keras.src.engine import functional, training, training_v1
    if getattr(training.Model, '_keras1_arguments', False):
        return
    model_new, functional_init = training.Model.__new__, functional.Functional.__init__

    def __new__(cls, *args, **kwargs):
        return model_new(cls, *args, **_model_arguments(kwargs, warn=False))

    def __init__(self, *args, **kwargs):
        functional_init(self, *args, **_model_arguments(kwargs, warn=True))

    training.Model.__new__, functional.Functional.__init__ = __new__, __init__
    for method in ('fit_generator', 'evaluate_generator', 'predict_generator'):
        for model_class in (training.Model, training_v1.Model):
            setattr(model_class, method, _generator_method(getattr(model_class, method),
                                                            method))
    from tf_keras.src.engine import base_layer, base_layer_v1
    for layer_class in (base_layer.Layer, base_layer_v1.Layer):
        layer_class.add_weight = _shape_first_add_weight(layer_class.add_weight)
    training.Model._keras1_arguments = True


def _shape_first_add_weight(add_weight):
    """A custom layer's Keras 1 `self.add_weight((rows, cols), 'W', initializer=...)`, the
    shape (then the name) first, which Keras 2.0-2.2 took without a word (its
    legacy_add_weight_support); Keras 2's order is (name, shape)."""
    @functools.wraps(add_weight)
    def adding(self, *args, **kwargs):
        if args and isinstance(args[0], (tuple, list)):
            kwargs['shape'], args = args[0], args[1:]
            if args and isinstance(args[0], str):
                kwargs['name'], args = args[0], args[1:]
        return add_weight(self, *args, **kwargs)
    return adding


def _generator_method(method, name):
    def converted(self, *args, **kwargs):
        args, kwargs = _generator_arguments(name, self, args, kwargs)
        with warnings.catch_warnings():  # tf_keras's TF 2 advice; Keras 2.2 gave none
            warnings.filterwarnings('ignore', message='`Model.%s` is deprecated' % name)
            return method(self, *args, **kwargs)
    converted.__name__, converted.__doc__ = method.__name__, method.__doc__
    return converted


def Input(*args, **kwargs):  # noqa: N802 (Keras's name)
    """keras.layers.Input, taking Keras 1's `input_dtype`."""
    args, kwargs = convert('Input', (None,) + args, kwargs,
                           renamed=[('input_dtype', 'dtype')])
    return layers.Input(*args[1:], **kwargs)


LAYERS = dict({name: _legacy_layer(name) for name in _LAYERS}, Input=Input)
LAYERS.update({alias: LAYERS[name] for alias, name in _ALIASES.items()})
