"""The predict server's runner: every model of a set in one graph (serving/merged.py),
concurrent requests batched into one run (serving/batching.py), a set's graph kept for
the requests that started on it; and --precision on a real server process."""
import threading
import time

import numpy as np
import pytest

from servers import call, start_predict_server, train_models
from serving.batching import Batcher
from serving.runner import ModelRunner


class RowModel:
    """Stands in for serving.models.Model: answers, for each image, the digit its first
    pixel holds; takes `seconds` a run; records each run's batch size and thread."""

    def __init__(self, seconds=0.0, fails=False):
        self.seconds, self.fails = seconds, fails
        self.batches, self.threads = [], []

    def predict(self, images):
        self.batches.append(len(images))
        self.threads.append(threading.current_thread().name)
        time.sleep(self.seconds)
        if self.fails:
            raise RuntimeError('session failed')
        digits = np.asarray(images)[:, 0].astype(int)
        return np.eye(10)[digits], digits


def image_of(digit, count=1):
    images = np.zeros((count, 784), np.float32)
    images[:, 0] = digit
    return images


def in_threads(function, arguments, stagger=0.0):
    """function(argument) in a thread each (started `stagger` s apart); their results."""
    results = [None] * len(arguments)

    def call_one(index):
        try:
            results[index] = function(arguments[index])
        except Exception as error:  # the test looks at it
            results[index] = error
    threads = [threading.Thread(target=call_one, args=(index,), name='request%d' % index)
               for index in range(len(arguments))]
    for thread in threads:
        thread.start()
        time.sleep(stagger)
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_lone_request_runs_at_once_in_its_own_thread():
    model = RowModel()
    runner = ModelRunner({'a': model}, cores=2)
    probabilities, digits, seconds = runner.run(['a'], image_of(7))['a']
    assert list(digits) == [7] and probabilities.shape == (1, 10) and seconds >= 0
    assert model.threads == [threading.current_thread().name]


def test_requests_arriving_during_a_run_are_answered_by_one_batch_each_its_own_rows():
    model = RowModel(seconds=0.3)
    observed = []  # what the server's batch-size histogram is told
    runner = ModelRunner({'a': model}, cores=2,
                         observe_batch=lambda names, size: observed.append((names, size)))
    # The first runs alone; the three after it arrive while it runs and queue.
    results = in_threads(lambda digit: runner.run(['a'], image_of(digit, digit))['a'],
                         [1, 2, 3, 4], stagger=0.05)
    assert model.batches == [1, 2 + 3 + 4]
    assert observed == [(['a'], 1), (['a'], 2 + 3 + 4)]
    for digit, (probabilities, digits, seconds) in zip([1, 2, 3, 4], results):
        assert list(digits) == [digit] * digit and probabilities.shape == (digit, 10)
    # A model's seconds are its run's: the three batched requests share theirs.
    assert len({result[2] for result in results[1:]}) == 1


def test_a_batch_holds_at_most_max_batch_size_images_and_a_big_request_runs_alone_at_once():
    model = RowModel(seconds=0.3)
    runner = ModelRunner({'a': model}, cores=2, max_batch_size=4)
    sizes = [1, 3, 2, 5]  # 1 runs; 3 and 2 queue (3 + 2 > 4); 5 ≥ 4 runs at once, beside
    started = time.perf_counter()
    results = in_threads(lambda size: runner.run(['a'], image_of(size % 10, size))['a'],
                         sizes, stagger=0.05)
    assert [len(result[1]) for result in results] == sizes
    assert sorted(model.batches) == [1, 2, 3, 5] and model.batches.index(5) == 1
    assert time.perf_counter() - started < 3 * 0.3 + 0.5  # 1, then 3, then 2; 5 beside 1


def test_a_failing_run_fails_the_requests_in_its_batch_and_nothing_after():
    failing, healthy = RowModel(seconds=0.2, fails=True), RowModel()
    runner = ModelRunner({'bad': failing, 'good': healthy}, cores=2)
    results = in_threads(lambda digit: runner.run(['bad'], image_of(digit)), [1, 2, 3],
                         stagger=0.05)
    assert all(isinstance(result, RuntimeError) for result in results)
    assert failing.batches == [1, 2]
    # No thread is left leading: the next request runs, alone, at once.
    assert list(runner.run(['good'], image_of(5))['good'][1]) == [5]
    assert healthy.threads == [threading.current_thread().name]


def test_requests_on_different_sets_never_share_a_batch():
    old, new = {'a': RowModel(seconds=0.3)}, {'a': RowModel(seconds=0.3)}
    runner = ModelRunner(old, cores=2)
    first = threading.Thread(target=runner.run, args=(['a'], image_of(1), old))
    first.start()
    time.sleep(0.05)
    runner.models = new  # a reload: requests already holding `old` finish on it
    results = in_threads(lambda models: runner.run(['a'], image_of(2), models)['a'][1],
                         [old, new, old])
    first.join()
    assert [list(digits) for digits in results] == [[2], [2], [2]]
    assert old['a'].batches == [1, 2] and new['a'].batches == [1]


def test_the_batcher_lets_the_next_request_lead_when_its_leader_is_done():
    batcher = Batcher(max_batch_size=32)

    class Group:
        def __init__(self):
            self.threads = []

        def run(self, names, images):
            self.threads.append(threading.current_thread().name)
            time.sleep(0.2)
            return {'a': (np.eye(10)[[0] * len(images)], np.zeros(len(images), int))}
    group = Group()
    in_threads(lambda index: batcher.run(group, ['a'], image_of(0)), range(3), stagger=0.05)
    # request0 ran itself, then request1 (woken when request0 was answered) ran the batch
    # of requests 1 and 2.
    assert group.threads == ['request0', 'request1']


# ---------------------------------------------------------------------------- real models

@pytest.fixture(scope='module')
def two_models(tiny_mnist, tmp_path_factory):
    return train_models(tiny_mnist, tmp_path_factory, 'batching')


def test_one_graph_answers_as_each_models_own_session(two_models):
    from serving import models as serving_models
    models = serving_models.load_models(str(two_models), ['regression', 'nn'])
    runner = ModelRunner(models, cores=2)
    images = np.random.RandomState(0).rand(5, 784).astype(np.float32)
    together = runner.run(['nn', 'regression'], images)
    for name in ('nn', 'regression'):
        alone = models[name].predict(images)
        np.testing.assert_allclose(together[name][0], alone[0], atol=1e-6)
        assert list(together[name][1]) == list(alone[1])
    assert runner.run(['nn'], images[:1])['nn'][1][0] == together['nn'][1][0]


def test_precision_fp32_and_bf16_on_a_real_server(two_models):
    from graphs import precision
    images = np.random.RandomState(1).rand(4, 784).round(4).tolist()
    answers = {}
    for chosen in ('fp32', 'bf16'):
        server = start_predict_server(two_models, '--precision', chosen)
        try:
            expected = chosen if chosen == 'fp32' or precision.cpu_has_bf16() else 'fp32'
            loaded = [line for line in server.lines if line.startswith('Loaded ')]
            assert len(loaded) == 2 and all('Precision: %s' % expected in line
                                            for line in loaded), loaded
            _, _, listed = call(server, 'GET', '/models')
            assert [m['precision'] for m in listed['models']] == [expected] * 3
            _, _, metadata = call(server, 'GET', '/v1/models/nn/metadata')
            assert metadata['metadata']['precision'] == expected
            status, _, answer = call(server, 'POST', '/v1/models/nn:predict',
                                     {'instances': images})
            assert status == 200
            answers[chosen] = np.array(answer['predictions'])
            status, _, page = call(server, 'POST', '/predict', {'image': images[0]})
            assert status == 200 and len(page['models']) == 3
            for model in page['models']:
                assert len(model['probabilities']) == 10 and 0 <= model['prediction'] <= 9
                assert sum(model['probabilities']) == pytest.approx(1, abs=1e-2)
        finally:
            server.stop()
    # bf16 answers whole, valid probabilities, near fp32's (bf16 keeps 8 bits of mantissa) ...
    assert answers['bf16'].shape == (4, 10) and np.all(answers['bf16'] >= 0)
    np.testing.assert_allclose(answers['bf16'].sum(axis=1), 1, atol=1e-2)
    np.testing.assert_allclose(answers['bf16'], answers['fp32'], atol=0.1)
    # ... and fp32 is unchanged: the model's own fp32 session answers the same.
    from serving import models as serving_models
    nn = serving_models.Model('nn', str(two_models / 'nn'), serving_models.session_config())
    np.testing.assert_allclose(answers['fp32'], nn.predict(np.array(images))[0], atol=1e-6)


def test_every_combination_of_models_answers_and_few_callables_are_kept(two_models,
                                                                       monkeypatch):
    from serving import merged, models as serving_models
    models = serving_models.load_models(str(two_models), ['nn', 'regression'])
    group = merged.MergedModels(models, cores=2)  # all, and each alone, made at start
    images = np.random.RandomState(2).rand(3, 784).astype(np.float32)
    for names in (['regression', 'nn'], ['nn', 'regression'], ['nn'], ['regression']):
        answers = group.run(names, images)
        assert sorted(answers) == sorted(names)
        for name in names:
            np.testing.assert_allclose(answers[name][0], models[name].predict(images)[0],
                                       atol=1e-6)
    assert len(group._callables) == 3  # one per combination, whatever its order
    monkeypatch.setattr(merged, 'CALLABLES_KEPT', 2)
    smaller = merged.MergedModels(models, cores=2)
    assert list(smaller._callables) == [('nn',), ('regression',)]  # the last two made
    assert list(smaller.run(['regression', 'nn'], images)['nn'][1]) == list(
        group.run(['nn'], images)['nn'][1])
    assert list(smaller._callables) == [('regression',), ('nn', 'regression')]
