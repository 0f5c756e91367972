"""TF 1.x's test_util.run_in_graph_and_eager_modes under tf1: `reset_test`, which TF 2.x
dropped, keeps the test case's state between the graph and the eager run when False (TF
1.15's optimizer tests pass it), and resets it as TF 2.x does when True."""
import unittest

from tensorflow.python.framework import test_util as tf2_test_util

from tf1.api_internals import moved_modules


def run_case(reset_test):
    """How often setUp ran, and in which modes the test body ran."""
    test_util = moved_modules()['tensorflow.python.framework.test_util']
    record = {'setups': 0, 'teardowns': 0, 'modes': [], 'tempdirs': []}

    class Case(tf2_test_util.TensorFlowTestCase):
        def setUp(self):
            super(Case, self).setUp()
            record['setups'] += 1

        def tearDown(self):
            record['teardowns'] += 1
            super(Case, self).tearDown()

        @test_util.run_in_graph_and_eager_modes(reset_test=reset_test)
        def test_body(self):
            from tensorflow.python.eager import context
            record['modes'].append('eager' if context.executing_eagerly() else 'graph')
            record['tempdirs'].append(self.get_temp_dir())

    result = unittest.TestResult()
    Case('test_body').run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    return record


def test_reset_test_false_keeps_the_case_between_its_two_runs():
    record = run_case(reset_test=False)
    tempdirs = record.pop('tempdirs')
    assert record == {'setups': 1, 'teardowns': 1, 'modes': ['graph', 'eager']}
    assert tempdirs[0] == tempdirs[1]  # what the graph run wrote, the eager run finds


def test_reset_test_true_sets_the_case_up_again():
    record = run_case(reset_test=True)
    tempdirs = record.pop('tempdirs')
    assert record == {'setups': 2, 'teardowns': 2, 'modes': ['graph', 'eager']}
    assert tempdirs[0] != tempdirs[1]


def test_other_test_util_names_are_tensorflows():
    test_util = moved_modules()['tensorflow.python.framework.test_util']
    assert test_util.TensorFlowTestCase is tf2_test_util.TensorFlowTestCase
