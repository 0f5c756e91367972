"""TensorFlow Probability's `probs` and `logits` as TF 1.14-1.15's TFP (0.7, 0.8) gave them,
put back in the runner's process when TFP is first imported (tf1/importer.py): a
distribution made from logits answered `probs` with their softmax (sigmoid for a Bernoulli),
one made from probs answered `logits` with their log, where today's TFP answers None. TF
1.x-era code reads them (K-FAC 0.2's losses: `tf.sqrt(dist.probs)` of a
`Categorical(logits=...)`); TFP's own code reads the private fields, and `probs_parameter()`
is the same value."""


def restore():
    """Makes each TFP distribution's `probs` and `logits` properties compute the one not
    given (TF 1.x's contrib.distributions does the same: tf1/contrib_distributions_plain)."""
    import tensorflow_probability as tfp
    for value in vars(tfp.distributions).values():
        if not (isinstance(value, type) and hasattr(value, 'probs_parameter')
                and hasattr(value, 'logits_parameter')):
            continue
        for name in ('probs', 'logits'):
            given = vars(value).get(name)
            if isinstance(given, property) and not getattr(given.fget, '_tf1', False):
                setattr(value, name, property(_given_or_computed(given.fget, name),
                                              doc=given.__doc__))


def _given_or_computed(given, name):
    def value(self):
        result = given(self)
        return getattr(self, name + '_parameter')() if result is None else result
    value._tf1 = True
    return value
