"""tf.contrib.bayesflow.stochastic_graph (TF 1.0-1.4): surrogate_loss, the loss to minimise
in a graph with StochasticTensors, whose gradient estimates the gradient of the expected
losses, through the samples that are reparameterised and the score function otherwise."""
import collections

import tensorflow.compat.v1 as tf

from tf1.contrib_bayesflow import stochastic_tensor


def _upstream_stochastic_nodes(tensors):
    """{tensor: the StochasticTensors upstream of it} for `tensors`."""
    upstream = collections.defaultdict(set)
    for st, ts in _stochastic_dependencies_map(tensors).items():
        for t in ts:
            upstream[t].add(st)
    return upstream


def _stochastic_dependencies_map(fixed_losses, stochastic_tensors=None):
    """{StochasticTensor: the losses among `fixed_losses` its value leads to}, for
    `stochastic_tensors` or all of the graph's."""
    stoch_value_collection = stochastic_tensors or tf.get_collection(
        stochastic_tensor.STOCHASTIC_TENSOR_COLLECTION)
    if not stoch_value_collection:
        return {}
    stoch_value_map = {node.value(): node for node in stoch_value_collection}
    # Backwards through the graph from each loss.
    stoch_dependencies_map = collections.defaultdict(set)
    for loss in fixed_losses:
        boundary = {loss}
        while boundary:
            edge = boundary.pop()
            edge_stoch_node = stoch_value_map.get(edge, None)
            if edge_stoch_node:
                stoch_dependencies_map[edge_stoch_node].add(loss)
            boundary.update(edge.op.inputs)
    return stoch_dependencies_map


def surrogate_loss(sample_losses, stochastic_tensors=None, name='SurrogateLoss'):
    """The sum of `sample_losses` (a list of per-example losses of rank >= 1, all of one
    shape) and the loss term of each StochasticTensor upstream of them (of
    `stochastic_tensors`, if given) for the losses it influenced. Not for
    StochasticTensors made in while_loops or other control flow."""
    with tf.name_scope(name, values=sample_losses):
        if not isinstance(sample_losses, (list, tuple)):
            raise TypeError('sample_losses must be a list or tuple')
        for loss in sample_losses:
            if not isinstance(loss, tf.Tensor):
                raise TypeError('loss is not a Tensor: %s' % loss)
            ndims = loss.get_shape().ndims
            if not (ndims is not None and ndims >= 1):
                raise ValueError('loss must have dimensionality 1 or greater: %s' % loss)
        stoch_dependencies_map = _stochastic_dependencies_map(
            sample_losses, stochastic_tensors=stochastic_tensors)
        if not stoch_dependencies_map:
            tf.logging.warn('No collection of Stochastic Tensors found for current graph.')
            return tf.add_n(sample_losses)
        loss_terms = [tf.convert_to_tensor(loss) for loss in sample_losses]
        for stoch_node, dependent_losses in stoch_dependencies_map.items():
            dependent_losses = list(dependent_losses)
            tf.logging.info('Losses influenced by StochasticTensor %s: [%s]', stoch_node.name,
                            ', '.join(loss.name for loss in dependent_losses))
            influenced_loss = _add_n_or_sum(dependent_losses)
            loss_term = stoch_node.loss(tf.stop_gradient(influenced_loss))
            if loss_term is not None:
                loss_terms.append(loss_term)
        return _add_n_or_sum(loss_terms)


def _add_n_or_sum(terms):
    """add_n where the terms share a dtype and a full shape; else broadcasting sum."""
    shape, dtype = terms[0].get_shape(), terms[0].dtype
    if all(term.get_shape().is_fully_defined() and term.get_shape().is_compatible_with(shape)
           and term.dtype == dtype for term in terms):
        return tf.add_n(terms)
    return sum(terms)
