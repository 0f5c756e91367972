"""tf.contrib.opt: the optimizers and wrappers tf1 ports from TF 1.15 (tf1/contrib_opt*.py),
also under their modules' TF 1.x paths (`from tensorflow.contrib.opt.python.training import
lazy_adam_optimizer`, as TF 1.15's tests and some scripts import them)."""
from tf1.namespace import Lazy, Namespace


def _from(module, *names):
    return {name: Lazy('%s:%s' % (module, name)) for name in names}


CONTRIB_OPT = Namespace('contrib.opt', None, {
    **_from('tf1.contrib_opt', 'AdamWOptimizer', 'MomentumWOptimizer',
            'DecoupledWeightDecayExtension', 'extend_with_decoupled_weight_decay',
            'LazyAdamOptimizer', 'NadamOptimizer', 'AdaMaxOptimizer', 'AddSignOptimizer',
            'PowerSignOptimizer'),
    **_from('tf1.contrib_opt_lars', 'LARSOptimizer'),
    **_from('tf1.contrib_opt_wrappers', 'MovingAverageOptimizer', 'MultitaskOptimizerWrapper',
            'clip_gradients_by_global_norm'),
    **_from('tf1.contrib_opt_external', 'ScipyOptimizerInterface', 'ExternalOptimizerInterface'),
    **_from('tf1.contrib_opt_more', 'AdamGSOptimizer', 'LazyAdamGSOptimizer',
            'RegAdagradOptimizer', 'VariableClippingOptimizer'),
    'python': Namespace('contrib.opt.python', None, {
        'training': Namespace('contrib.opt.python.training', None, {
            **{module: Lazy('tf1.contrib_opt') for module in (
                'adamax', 'addsign', 'powersign', 'lazy_adam_optimizer', 'nadam_optimizer',
                'weight_decay_optimizers')},
            'lars_optimizer': Lazy('tf1.contrib_opt_lars'),
            'moving_average_optimizer': Lazy('tf1.contrib_opt_wrappers'),
            'multitask_optimizer_wrapper': Lazy('tf1.contrib_opt_wrappers'),
            'external_optimizer': Lazy('tf1.contrib_opt_external'),
            **{module: Lazy('tf1.contrib_opt_more') for module in (
                'adam_gs_optimizer', 'lazy_adam_gs_optimizer', 'reg_adagrad_optimizer',
                'variable_clipping_optimizer')},
            'sign_decay': Lazy('tf1.contrib_opt_sign_decay')})})})
