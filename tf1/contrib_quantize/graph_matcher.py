"""tf.contrib.quantize's graph_matcher (TF 1.6-1.15, ported from contrib/quantize/python/
graph_matcher.py): tree patterns of op types, matched against a graph's ops, which TF 1.x
code used beyond quantisation (object detection's exporter finds its fake-quantised
batch norms with it):

    pattern = OpTypePattern('Relu|Relu6', inputs=[OpTypePattern('BiasAdd', name='bias')])
    for match in GraphMatcher(pattern).match_graph(tf.get_default_graph()):
        match.get_op('bias')

tf.contrib.quantize's graph rewriting itself is not provided (one line)."""
import abc
import itertools


class Pattern(abc.ABC):
    """What OpTypePattern and OneofPattern share."""

    @abc.abstractmethod
    def match(self, op, tensor):
        """The MatchResult of `op` (and its output `tensor`) against this pattern, or None."""


class OpTypePattern(Pattern):
    """An op of `op_type` ('Conv2D', '*' for any, or 'Relu|Relu6'), named `name` in the
    MatchResult, whose inputs match `inputs` (patterns, or op types; any inputs if None),
    in order or, with `ordered_inputs=False`, in any order (at most 8 of them)."""

    def __init__(self, op_type, name=None, inputs=None, ordered_inputs=True):
        self._op_type = op_type
        self._name = name
        inputs = [] if inputs is None else inputs
        if len(inputs) > 8:
            raise ValueError('Only < 8 inputs are allowed when ordered_inputs is False.')
        self._inputs = [pattern if isinstance(pattern, Pattern) else OpTypePattern(pattern)
                        for pattern in inputs]
        self._ordered_inputs = ordered_inputs

    @property
    def name(self):
        return self._name

    def match(self, op, tensor):
        if self._op_type != '*' and op.type not in self._op_type.split('|'):
            return None
        match_result = MatchResult()
        match_result.add(self, op, tensor)
        if not self._inputs:
            return match_result  # any inputs
        if len(op.inputs) != len(self._inputs):
            return None
        orders = ([self._inputs] if self._ordered_inputs
                  else list(itertools.permutations(self._inputs)))
        for input_patterns in orders:
            results = [pattern.match(input_tensor.op, input_tensor)
                       for input_tensor, pattern in zip(op.inputs, input_patterns)]
            if all(result is not None for result in results):
                for result in results:
                    match_result.merge_from(result)
                return match_result
        return None


class OneofPattern(Pattern):
    """The first of `sub_patterns` that matches."""

    def __init__(self, sub_patterns):
        self._sub_patterns = sub_patterns

    def match(self, op, tensor):
        for sub_pattern in self._sub_patterns:
            match_result = sub_pattern.match(op, tensor)
            if match_result is not None:
                return match_result
        return None


class MatchResult:
    """Each matched pattern's op and tensor (the output its parent's op uses), by the
    pattern or its name."""

    def __init__(self):
        self._pattern_to_op_tensor = {}
        self._name_to_pattern = {}

    def add(self, pattern, op, tensor):
        self._pattern_to_op_tensor[pattern] = op, tensor
        if pattern.name is not None:
            if pattern.name in self._name_to_pattern:
                raise ValueError('Name %s is already bound to another pattern' % pattern.name)
            self._name_to_pattern[pattern.name] = pattern

    def _to_pattern(self, pattern_or_name):
        if isinstance(pattern_or_name, Pattern):
            return pattern_or_name
        if isinstance(pattern_or_name, str):
            return self._name_to_pattern.get(pattern_or_name)
        raise ValueError('pattern_or_name has type %s. Expect Pattern or str.'
                         % type(pattern_or_name))

    def _get_op_tensor(self, pattern_or_name):
        return self._pattern_to_op_tensor.get(self._to_pattern(pattern_or_name))

    def get_op(self, pattern_or_name):
        op_tensor = self._get_op_tensor(pattern_or_name)
        return op_tensor[0] if op_tensor else None

    def get_tensor(self, pattern_or_name):
        op_tensor = self._get_op_tensor(pattern_or_name)
        return op_tensor[1] if op_tensor else None

    def merge_from(self, other_match_result):
        self._pattern_to_op_tensor.update(other_match_result._pattern_to_op_tensor)
        self._name_to_pattern.update(other_match_result._name_to_pattern)


class GraphMatcher:
    """Finds the ops at which `pattern` matches."""

    def __init__(self, pattern):
        self._pattern = pattern

    def match_op(self, op):
        """The MatchResult of `op`, or None."""
        return self._pattern.match(op, None)

    def match_ops(self, ops):
        """Each match among `ops`."""
        for op in ops:
            match_result = self.match_op(op)
            if match_result:
                yield match_result

    def match_graph(self, graph):
        """Each match among the ops of `graph`."""
        yield from self.match_ops(graph.get_operations())
