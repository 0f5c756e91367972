"""tf.contrib.bayesflow of TF 1.0-1.4 (ported from TF 1.0's contrib/bayesflow/python/ops,
with TF 1.1-1.2's changes: whether a sample carries gradients is its distribution's
reparameterization_type, the ELBO's KL is kl_divergence): stochastic computation graphs, as
VAEs of that time wrote them,

    with st.value_type(st.SampleValue()):
        z = st.StochasticTensor(tf.contrib.distributions.Normal(mu=mean, sigma=stddev))
    loss = -tf.contrib.bayesflow.variational_inference.elbo(log_likelihood)

its entropy and ELBO estimates, its stochastic variables (a custom getter's), its Monte
Carlo expectations (TF 1.0-1.15), and its special functions (TensorFlow's own, which TF
1.x's were). The rest of it (hmc ...) moved to TensorFlow Probability: one line."""
from tensorflow.python.ops.distributions import special_math  # noqa: F401 (its namespace)

from tf1.contrib_bayesflow import (  # noqa: F401 (its namespace)
    entropy, monte_carlo, stochastic_gradient_estimators, stochastic_graph, stochastic_tensor,
    stochastic_variables, variational_inference)
