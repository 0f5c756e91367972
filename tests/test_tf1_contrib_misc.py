"""tf1's tf.contrib.training.HParams (TF 1.15's hparam.py: types, casts, `parse` syntax,
errors, its HParamDef protocol buffer), tf.contrib.data (TF 1.2's Dataset, readers and
Iterator, TF 1.x's transformations, the rest tf.data.experimental),
tf.contrib.signal (tf.signal), tf.contrib.lookup, tf.contrib.factorization's KMeans graph and
KMeansClustering Estimator, and
tf.keras.initializers (TF 1.x's graph-mode initializers, not Keras 3's)."""
import gc
import weakref

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_training, unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()


def hparams():
    return contrib_training.HParams(learning_rate=0.1, steps=100, name='nmt', bidi=False,
                                    layers=[64, 64], activations=['relu', 'tanh'])


def test_hparams_parse_as_tf1_did():
    h = hparams().parse('learning_rate=3, steps=200,name=gnmt,bidi=true,layers=[32, 16,8]')
    assert h.values() == {'learning_rate': 3.0, 'steps': 200, 'name': 'gnmt', 'bidi': True,
                          'layers': [32, 16, 8], 'activations': ['relu', 'tanh']}
    assert type(h.learning_rate) is float  # cast to the hyperparameter's type
    # An index parses, but a dict is no list to set: TF 1.x's parse refused it too.
    assert contrib_training.parse_values('a[1]=3,b=[1,2]', {'a': int, 'b': int}) == {
        'a': {1: 3}, 'b': [1, 2]}
    with pytest.raises(ValueError, match='Must pass a list for multi-valued parameter'):
        hparams().parse('layers[1]=7')
    assert hparams().parse('bidi=0').bidi is False


@pytest.mark.parametrize('values, message', [
    ('steps=1.5', "Could not parse hparam 'steps' of type 'int' with value '1.5'"),
    ('steps=1,steps=2', "Multiple assignments to variable 'steps'"),
    ('depth=3', 'Unknown hyperparameter type for depth'),
    ('steps', 'Malformed hyperparameter value: steps'),
    ('layers[0]=[1,2]', 'Assignment of a list to a list index'),
])
def test_hparams_refuse_what_tf1_refused(values, message):
    with pytest.raises(ValueError, match=message.replace('[', r'\[').replace('.', r'\.')):
        hparams().parse(values)


def test_hparams_set_json_get_and_print():
    h = hparams()
    h.set_hparam('steps', 5)
    with pytest.raises(ValueError, match="Could not cast hparam 'steps'"):
        h.set_hparam('steps', 0.5)  # a float is no int
    with pytest.raises(ValueError, match='Must pass a list for multi-valued parameter'):
        h.set_hparam('layers', 3)
    with pytest.raises(ValueError, match='Hyperparameter name is reserved: values'):
        h.add_hparam('values', 1)
    h.parse_json('{"name": "json", "layers": [1, 2, 3]}')
    assert h.name == 'json' and h.layers == [1, 2, 3]
    assert contrib_training.HParams(**h.values()).to_json(sort_keys=True) == h.to_json(
        sort_keys=True)
    assert h.get('steps', 7) == 5 and h.get('missing', 'x') == 'x' and 'steps' in h
    with pytest.raises(ValueError, match="incompatible with default"):
        h.get('steps', 'seven')
    assert str(contrib_training.HParams(a=1, b='x')) == 'a=1,b=x'
    assert repr(contrib_training.HParams(b=2, a=1)) == "HParams([('a', 1), ('b', 2)])"
    assert tf1_api.contrib.training.HParams is contrib_training.HParams


def test_hparams_to_proto_and_back_in_tf1s_wire_format(tmp_path):
    h = hparams()
    h.add_hparam('coins', [True, False])
    h.add_hparam('rates', [0.5, 0.25])
    again = contrib_training.HParams(hparam_def=h.to_proto())
    # hparam.proto's floats are 32-bit: 0.1 comes back as float32's 0.1, as in TF 1.x
    assert again.learning_rate == float(np.float32(0.1))
    again.learning_rate = 0.1
    assert again.values() == h.values()
    assert type(again.bidi) is bool and type(again.steps) is int  # not 0 and 100.0
    # hparam.proto's encoding of {'a': int64_value 3}: map entry 1 {key 1 'a', value 2 {1: 3}}
    assert contrib_training.HParams(a=3).to_proto().SerializeToString() == (
        b'\n\x07\n\x01a\x12\x02\x08\x03')
    # Saved as text and parsed back through hparam.proto's module, at its TF 1.x path
    # (google/pde-superresolution's hparams.pbtxt).
    from google.protobuf import text_format
    hparam_pb2 = tf1_api.contrib.training.python.training.hparam_pb2
    parsed = text_format.Parse(str(h.to_proto()), hparam_pb2.HParamDef())
    assert contrib_training.HParams(hparam_def=parsed).layers == [64, 64]
    with pytest.raises(AssertionError, match='must be an HParamDef protocol buffer, not str'):
        contrib_training.HParams(hparam_def='learning_rate=0.1')
    with pytest.raises(ValueError, match='mutually exclusive'):
        contrib_training.HParams(hparam_def=h.to_proto(), steps=3)
    empty = hparam_pb2.HParamDef()
    empty.hparam['lr'].SetInParent()  # an entry with no value
    with pytest.raises(ValueError, match="hparam 'lr' of the HParamDef has no value"):
        contrib_training.HParams(hparam_def=empty)
    # In a graph's 'hparams' collection, through a meta graph file, as TF 1.x kept them.
    path = str(tmp_path / 'with_hparams.meta')
    with tf.Graph().as_default():
        tf.add_to_collection('hparams', h)
        tf.train.export_meta_graph(path)
    with tf.Graph().as_default():
        tf.train.import_meta_graph(path)
        restored, = tf.get_collection('hparams')
    assert isinstance(restored, contrib_training.HParams)
    assert restored.layers == [64, 64] and restored.activations == ['relu', 'tanh']


def test_contrib_data_is_tf1s_transformations():
    with tf.Graph().as_default():
        data = tf1_api.data.Dataset.range(7)
        batched = data.apply(tf1_api.contrib.data.batch_and_drop_remainder(3))
        windows = data.apply(tf1_api.contrib.data.group_by_window(
            lambda x: x % 2, lambda key, d: d.batch(2), window_size=2))
        with tf.Session() as sess:
            batches = sess.run(tf.data.make_one_shot_iterator(batched.batch(5)).get_next())
            grouped = []
            next_window = tf.data.make_one_shot_iterator(windows).get_next()
            for _ in range(4):
                grouped.append(sess.run(next_window).tolist())
    np.testing.assert_array_equal(batches, [[0, 1, 2], [3, 4, 5]])  # 6 dropped
    assert grouped == [[0, 2], [1, 3], [4, 6], [5]]


def test_contrib_data_sliding_windows_shape_checks_and_reductions():
    contrib_data = tf1_api.contrib.data
    with tf.Graph().as_default():
        numbers = tf1_api.data.Dataset.range(1, 7)  # TF 1.15's docstring's examples
        pairs = tf1_api.data.Dataset.from_tensor_slices((np.arange(6), np.arange(6) * 10))
        slid = [numbers.apply(contrib_data.sliding_window_batch(**arguments)) for arguments in (
            dict(window_size=3), dict(window_size=3, window_shift=2),
            dict(window_size=3, window_stride=2), dict(window_size=2, stride=3))]
        slid_pairs = pairs.apply(contrib_data.sliding_window_batch(4, window_shift=2))
        varying = tf1_api.data.Dataset.from_generator(
            lambda: iter([[1.0, 2.0], [3.0, 4.0], [5.0]]), tf.float32, tf.TensorShape([None]))
        checked = varying.apply(contrib_data.assert_element_shape(tf.TensorShape([2])))
        checked_pairs = pairs.batch(3).apply(contrib_data.assert_element_shape(
            (tf.TensorShape([3]), tf.TensorShape(None))))
        total = contrib_data.reduce_dataset(numbers, tf1_api.data.experimental.Reducer(
            lambda key: np.int64(0), lambda state, x: state + x, lambda state: state))
        with tf.Session() as sess:
            windows = [run_all(sess, tf.data.make_one_shot_iterator(d).get_next())
                       for d in slid + [slid_pairs]]
            read = tf.data.make_one_shot_iterator(checked).get_next()
            first, second = sess.run(read), sess.run(read)
            with pytest.raises(tf.errors.InvalidArgumentError, match='Shape of tensor'):
                sess.run(read)  # [5.0]: one where two were expected
            assert sess.run(total) == 21
    assert [w.tolist() for w in windows[0]] == [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
    assert [w.tolist() for w in windows[1]] == [[1, 2, 3], [3, 4, 5]]
    assert [w.tolist() for w in windows[2]] == [[1, 3, 5], [2, 4, 6]]
    assert [w.tolist() for w in windows[3]] == [[1, 2], [4, 5]]
    assert [(a.tolist(), b.tolist()) for a, b in windows[4]] == [
        ([0, 1, 2, 3], [0, 10, 20, 30]), ([2, 3, 4, 5], [20, 30, 40, 50])]
    assert first.tolist() == [1.0, 2.0] and second.tolist() == [3.0, 4.0]
    assert tf.data.get_output_shapes(checked).as_list() == [2]
    assert [s.as_list() for s in tf.data.get_output_shapes(checked_pairs)] == [[3], [None]]
    with pytest.raises(ValueError, match='Cannot specify both'):
        contrib_data.sliding_window_batch(2, stride=1, window_shift=1)
    # sizes fed when the iterator starts (TF 1.15's tests'), by its module's path
    sliding = tf1_api.contrib.data.python.ops.sliding
    with tf.Graph().as_default():
        size, shift = tf.placeholder(tf.int64, []), tf.placeholder(tf.int64, [])
        iterator = tf.data.make_initializable_iterator(tf1_api.data.Dataset.range(1, 7).apply(
            sliding.sliding_window_batch(window_size=size, window_shift=shift)))
        with tf.Session() as sess:
            sess.run(iterator.initializer, {size: 3, shift: 2})
            fed = run_all(sess, iterator.get_next())
    assert [w.tolist() for w in fed] == [[1, 2, 3], [3, 4, 5]]


def run_all(session, next_element):
    values = []
    try:
        while True:
            values.append(session.run(next_element))
    except tf.errors.OutOfRangeError:
        return values


def test_contrib_data_dataset_of_tf_1_2(tmp_path):
    contrib = tf1_api.contrib.data
    lines = tmp_path / 'pairs.csv'
    lines.write_text(''.join('%d,%d\n' % (i, i * i) for i in range(7)))

    def parse(line):
        return tuple(tf.decode_csv(line, [[0], [0]]))

    with tf.Graph().as_default():
        # TF 1.2's map arguments, positional or named, anywhere in a chain.
        pairs = contrib.TextLineDataset([str(lines)]).map(parse, num_threads=2,
                                                         output_buffer_size=4)
        chain = pairs.shuffle(7, seed=3).map(lambda a, b: (a * 10, b), 2, 3).batch(3)
        assert isinstance(chain, contrib.Dataset) and isinstance(chain, tf.data.Dataset)
        assert chain._variant_tensor.op.type == 'BatchDatasetV2'
        assert pairs._variant_tensor.op.type == 'PrefetchDataset'  # output_buffer_size
        iterator = chain.repeat(2).make_initializable_iterator()
        # Iterator.from_structure, and TF 1.2's methods TF 1.4 moved to functions.
        counted = contrib.Dataset.range(6).map(lambda x: x * 2, num_threads=2).filter(
            lambda x: x > 2).enumerate()
        reusable = contrib.Iterator.from_structure(counted.output_types, counted.output_shapes)
        windows = contrib.Dataset.range(5).group_by_window(lambda x: x % 2,
                                                           lambda key, d: d.batch(5), 5)
        sparse = contrib.Dataset.from_tensor_slices([[1, 2], [3, 4]]).map(
            lambda row: row[:row[0]]).dense_to_sparse_batch(2, [3])  # rows [1] and [3, 4]
        generated = contrib.Dataset.from_generator(lambda: iter([[1], [2, 3]]), tf.int64,
                                                   tf.TensorShape([None]))
        assert all(isinstance(d, contrib.Dataset) for d in (counted, windows, sparse,
                                                            generated))
        with tf.Session() as session:
            session.run(iterator.initializer)
            batches = run_all(session, iterator.get_next())
            session.run(reusable.make_initializer(counted))
            pairs_counted = run_all(session, reusable.get_next())
            grouped = run_all(session, windows.make_one_shot_iterator().get_next())
            batch = session.run(sparse.make_one_shot_iterator().get_next())
            rows = run_all(session, generated.make_one_shot_iterator().get_next())
    assert [len(first) for first, _ in batches] == [3, 3, 1] * 2
    for epoch in (batches[:3], batches[3:]):
        firsts = np.concatenate([first for first, _ in epoch])
        seconds = np.concatenate([second for _, second in epoch])
        assert sorted(firsts) == [i * 10 for i in range(7)]
        np.testing.assert_array_equal(seconds, (firsts // 10) ** 2)
    assert pairs_counted == [(0, 4), (1, 6), (2, 8), (3, 10)]
    assert [g.tolist() for g in grouped] == [[0, 2, 4], [1, 3]]
    assert batch.indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert batch.values.tolist() == [1, 3, 4] and batch.dense_shape.tolist() == [2, 3]
    assert [r.tolist() for r in rows] == [[1], [2, 3]]


def test_contrib_data_functions_are_traced_without_autograph():
    # TF 1.2-1.4 traced map functions as they are: Python control flow on a tensor fails
    # as it did then (AutoGraph, which TF 1.x datasets did not have, would convert it).
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match='tf.Tensor. as a Python .bool. is not allowed'):
            tf1_api.contrib.data.Dataset.range(3).map(lambda x: x if x > 1 else -x)


def test_contrib_signal_is_where_tf_1_13_moved_it():
    signal = tf1_api.contrib.signal
    assert signal.hamming_window is tf.signal.hamming_window and signal.stft is tf.signal.stft
    with tf.Graph().as_default(), tf.Session() as sess:
        window = sess.run(signal.hann_window(4, periodic=False))
    np.testing.assert_allclose(window, np.hanning(4), atol=1e-6)


def test_contrib_lookup_tables_and_tf1_0s_shorthands():
    lookup = tf1_api.contrib.lookup
    with tf.Graph().as_default():
        labels = tf.constant(['>50K', '<=50K', '?', '>50K'])
        table = lookup.index_table_from_tensor(tf.constant(['<=50K', '>50K']))
        indices = table.lookup(labels)
        shorthand = lookup.string_to_index(labels, tf.constant(['<=50K', '>50K']))
        names = lookup.index_to_string(tf.constant([1, 0, 5], tf.int64),
                                       tf.constant(['<=50K', '>50K']))
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            values = sess.run([indices, shorthand, names])
    assert values[0].tolist() == values[1].tolist() == [1, 0, -1, 1]
    assert values[2].tolist() == [b'>50K', b'<=50K', b'UNK']
    assert lookup.MutableDenseHashTable is not None and lookup.HashTable is not None


def test_keras_initializers_are_tf1s_graph_initializers():
    keras_init = tf1_api.keras.initializers
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        ours = tf.get_variable('a', [4, 3], initializer=keras_init.glorot_normal(seed=3))
        tf1s = tf.get_variable('b', [4, 3], initializer=tf.glorot_normal_initializer(seed=3))
        uniform = tf.get_variable('c', [500], initializer=keras_init.RandomUniform())
        he = keras_init.he_normal()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, c = sess.run([ours, tf1s, uniform])
    np.testing.assert_array_equal(a, b)  # the same draws as TF 1.x's initializer
    assert np.abs(c).max() <= 0.05 and np.abs(c).max() > 0.04  # Keras's default range
    assert (he.scale, he.mode, he.distribution) == (2.0, 'fan_in', 'truncated_normal')


def test_contrib_datasets_are_made_again_in_the_graph_that_uses_them():
    # TF 1.2-1.3 built a dataset's ops when an iterator was made: a dataset defined at a
    # script's top level served an Estimator's input_fn, whose graph is a new one.
    contrib = tf1_api.contrib.data
    with tf.Graph().as_default():
        doubled = contrib.Dataset.from_tensor_slices([1., 2., 3.]).map(lambda x: 2 * x,
                                                                       num_threads=2)
        pairs = contrib.Dataset.zip((doubled, contrib.Dataset.range(3))).batch(3)
    for _ in range(2):
        with tf.Graph().as_default(), tf.Session() as session:
            values, counts = session.run(pairs.make_one_shot_iterator().get_next())
            np.testing.assert_array_equal(values, [2, 4, 6])
            np.testing.assert_array_equal(counts, [0, 1, 2])
            iterator = doubled.skip(1).make_initializable_iterator()
            session.run(iterator.initializer)
            assert session.run(iterator.get_next()) == 4
    # It keeps alive at most the last graph it served, not every Estimator call's.
    graphs = []
    for _ in range(3):
        graph = tf.Graph()
        with graph.as_default():
            pairs.make_one_shot_iterator()
        graphs.append(weakref.ref(graph))
        del graph
    gc.collect()
    assert [graph() is None for graph in graphs] == [True, True, False]


def test_contrib_factorization_kmeans_finds_the_clusters_as_tf1_did():
    # aymericdamien's kmeans.py: the graph TF 1.4+ built (7 parts), fed full batches.
    rng = np.random.RandomState(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    labels = rng.randint(0, 3, 600)
    points = centres[labels] + rng.normal(0, 0.5, (600, 2)).astype(np.float32)
    factorization = tf1_api.contrib.factorization
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.placeholder(tf.float32, [None, 2])
        kmeans = factorization.KMeans(inputs=x, num_clusters=3, use_mini_batch=True,
                                      initial_clusters=factorization.KMEANS_PLUS_PLUS_INIT,
                                      distance_metric=factorization.SQUARED_EUCLIDEAN_DISTANCE)
        (_, cluster_index, scores, _, centres_var, init_op,
         train_op) = kmeans.training_graph()
        sess.run(tf.global_variables_initializer(), {x: points})
        sess.run(init_op, {x: points})
        for _ in range(20):
            _, index, distance = sess.run([train_op, cluster_index[0], scores[0]], {x: points})
        found = sess.run(centres_var)
    # Each cluster found is one of the three blobs, and every point is in its blob's.
    assert np.abs(np.sort(found, axis=0) - np.sort(centres, axis=0)).max() < 0.2
    assert all(len(set(index[labels == blob])) == 1 for blob in range(3))
    assert distance.mean() < 1.0  # squared distance to the centre: 2 × 0.5²
    with pytest.raises(unsupported.UnsupportedApiError, match='GMM or WALS.*scikit-learn'):
        factorization.GMM


def test_clustering_ops_module_holds_its_ops_as_tf1s_did():
    # tflearn's KMeans.predict: clustering_ops.nearest_neighbors (TF 1.x's module did
    # `from gen_clustering_ops import *`).
    clustering_ops = tf1_api.contrib.factorization.python.ops.clustering_ops
    with tf.Graph().as_default(), tf.Session() as sess:
        index, distance = clustering_ops.nearest_neighbors(
            tf.constant([[0., 0.], [5., 5.]]), tf.constant([[1., 1.], [4., 4.]]), 1)
        index, distance = sess.run([index, distance])
    assert index.ravel().tolist() == [0, 1] and distance.ravel().tolist() == [2.0, 2.0]
    assert callable(clustering_ops.kmeans_plus_plus_initialization)


def test_tensor_forest_data_ops_parse_as_tf_1_15s():
    # tflearn's forests and k-means: X, _, spec = data_ops.ParseDataTensorOrDict(X).
    data_ops = tf1_api.contrib.tensor_forest.python.ops.data_ops
    with tf.Graph().as_default(), tf.Session() as sess:
        dense, sparse, spec = data_ops.ParseDataTensorOrDict(
            {'b': tf.constant([[1.5, 2.5]]), 'a': tf.constant([[3]], tf.int64)})
        labels = data_ops.ParseLabelTensorOrDict(tf.constant([[1], [0]], tf.int32))
        assert sparse is None and spec.dense_features_size == 3
        assert [(c.name, c.original_type, c.size) for c in spec.dense.cols] == [
            ('a', data_ops.DATA_CATEGORICAL, 1), ('b', data_ops.DATA_FLOAT, 2)]
        assert spec.SerializeToString().startswith('dense_features_size: 3 dense: [{name: a ')
        assert sess.run(dense).tolist() == [[3.0, 1.5, 2.5]]
        assert labels.dtype == tf.float32 and sess.run(labels).tolist() == [[1.0], [0.0]]
        x = tf.zeros([4, 3])
        assert data_ops.ParseDataTensorOrDict(x)[0] is x


def test_kmeans_clustering_estimator_as_tf1s_docstring_uses_it(tmp_path):
    # TF 1.x's example: each train() call one full-batch Lloyd iteration over the points.
    rng = np.random.RandomState(1)
    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    labels = rng.randint(0, 3, 300)
    points = centres[labels] + rng.normal(0, 0.5, (300, 2)).astype(np.float32)

    def input_fn():
        return tf.train.limit_epochs(tf.convert_to_tensor(points), num_epochs=1)
    factorization = tf1_api.contrib.factorization
    kmeans = factorization.KMeansClustering(
        num_clusters=3, use_mini_batch=False, model_dir=str(tmp_path),
        initial_clusters=factorization.KMeansClustering.KMEANS_PLUS_PLUS_INIT)
    for _ in range(4):
        kmeans.train(input_fn)
    found = kmeans.cluster_centers()
    assert np.abs(np.sort(found, axis=0) - np.sort(centres, axis=0)).max() < 0.2
    index = np.array(list(kmeans.predict_cluster_index(input_fn)))
    assert all(len(set(index[labels == blob])) == 1 for blob in range(3))
    distances = np.array(list(kmeans.transform(input_fn)))  # squared, to every centre
    assert distances.shape == (300, 3)
    np.testing.assert_allclose(distances, ((points[:, None] - found[None]) ** 2).sum(-1),
                               rtol=1e-4, atol=1e-3)
    assert kmeans.score(input_fn) == pytest.approx(distances.min(1).sum(), rel=1e-4)
    # TF 1.13-1.15's canned k-means: the same, its seed named `seed`.
    experimental = tf1_api.estimator.experimental.KMeans(
        3, str(tmp_path / 'experimental'), 'kmeans_plus_plus', seed=1, use_mini_batch=False)
    assert isinstance(experimental, factorization.KMeansClustering)
    for _ in range(4):
        experimental.train(input_fn)
    assert np.abs(np.sort(experimental.cluster_centers(), axis=0)
                  - np.sort(centres, axis=0)).max() < 0.2
    with pytest.raises(ValueError, match="Unsupported distance metric 'manhattan'"):
        factorization.KMeansClustering(3, distance_metric='manhattan')


def test_kmeans_clustering_stops_once_the_loss_stops_changing(tmp_path):
    points = np.array([[0, 0], [0, 1], [10, 10], [10, 11]], np.float32)
    kmeans = tf1_api.contrib.factorization.KMeansClustering(
        num_clusters=2, use_mini_batch=False, relative_tolerance=1e-6, model_dir=str(tmp_path),
        initial_clusters=np.array([[0, 0], [10, 10]], np.float32))
    # An endless input: only the loss's relative change stops it (after 2 equal losses).
    kmeans.train(lambda: tf.constant(points), max_steps=100)
    assert kmeans.get_variable_value('global_step') < 10
    np.testing.assert_allclose(np.sort(kmeans.cluster_centers(), 0), [[0, 0.5], [10, 10.5]],
                               atol=1e-4)


def test_contrib_hash_table_shares_by_its_shared_name():
    lookup = tf1_api.contrib.lookup
    with tf.Graph().as_default():
        initializer = lookup.KeyValueTensorInitializer(['a', 'b'], [0, 1], tf.string, tf.int64)
        first = lookup.HashTable(initializer, -1, shared_name='shared-table')
        second = lookup.HashTable(initializer, -1, shared_name='shared-table')
        with tf.Session() as session:
            first.init.run()  # one resource: the second table is initialised with it
            got = session.run(second.lookup(tf.constant(['a', 'b', 'c'])))
    assert got.tolist() == [0, 1, -1]


def test_contrib_module_paths_tf_1_15_tests_import():
    from tf1 import contrib_eager, contrib_eager_network, contrib_factorization
    contrib = tf1_api.contrib
    assert contrib.summary.summary.scalar is contrib.summary.scalar
    assert contrib.predictor.saved_model_predictor.SavedModelPredictor is (
        contrib.predictor.SavedModelPredictor)
    assert contrib.eager.python.network.Network is contrib_eager_network.Network
    assert contrib.eager.python.saver.Saver is contrib_eager.Saver
    assert contrib.eager.python.metrics.Mean is contrib.eager.metrics.Mean
    assert contrib.framework.python.framework.checkpoint_utils.list_variables is (
        tf.train.list_variables)
    assert contrib.factorization.python.ops.kmeans.KMeansClustering is (
        contrib_factorization.KMeansClustering)


def test_int64_lists_take_bools_as_tf1s_protobuf_did():
    # TF 1.x's tf_records tutorial printed _int64_feature(True); protobuf 4+ refuses bools.
    int64_list = tf1_api.train.Int64List(value=[True, 3])
    assert list(int64_list.value) == [1, 3]
    assert isinstance(int64_list, tf1_api.train.Int64List)
    assert list(tf1_api.train.Int64List(value=np.array([True, False])).value) == [1, 0]
    feature = tf1_api.train.Feature(int64_list=int64_list)
    assert tf1_api.train.Int64List.FromString(
        feature.int64_list.SerializeToString()).value == [1, 3]


def test_strategies_have_tf_1_15s_experimental_run_v2():
    from tf1 import api
    api.enter_graph_mode()                       # as the runner does
    with tf.Graph().as_default():
        strategy = tf.distribute.MirroredStrategy()
        with strategy.scope():
            doubled = strategy.experimental_run_v2(lambda t: t * 2.0,
                                                   args=(tf.constant([1.0, 2.0]),))
            total = strategy.reduce(tf.distribute.ReduceOp.SUM, doubled, axis=None)
        with tf.Session() as sess:
            assert sess.run(total).tolist() == [2.0, 4.0]


def test_contrib_distribute_is_tf_distribute_under_tf_1_10_to_1_15s_names():
    distribute = tf1_api.contrib.distribute
    with tf.Graph().as_default():
        assert distribute.MirroredStrategy().num_replicas_in_sync == 1       # the CPU
        assert distribute.MirroredStrategy(num_gpus=0).num_replicas_in_sync == 1
        assert isinstance(distribute.MirroredStrategy(), tf.distribute.MirroredStrategy)
        with pytest.raises(ValueError, match='both `num_gpus` and `num_gpus_per_worker`'):
            distribute.MirroredStrategy(num_gpus=1, num_gpus_per_worker=1)
    assert distribute.get_distribution_strategy is tf.distribute.get_strategy
    assert distribute.get_replica_context is tf.distribute.get_replica_context


def test_contrib_quantizes_graph_matcher_finds_its_patterns():
    matcher = tf1_api.contrib.quantize.python.graph_matcher
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [1, 4], name='x')
        biased = tf.nn.bias_add(tf.matmul(x, tf.ones([4, 4])), tf.ones([4]), name='biased')
        tf.nn.relu(biased, name='relu')
        tf.nn.relu6(tf.add(tf.ones([1, 4]), x, name='sum'), name='relu6')
        bias = matcher.OpTypePattern('BiasAdd', name='bias', inputs=['MatMul', '*'])
        summed = matcher.OpTypePattern('AddV2|Add', name='sum',
                                       inputs=['Placeholder', 'Const'], ordered_inputs=False)
        activation = matcher.OpTypePattern('Relu|Relu6', name='activation',
                                           inputs=[matcher.OneofPattern([bias, summed])])
        matches = list(matcher.GraphMatcher(activation).match_graph(graph))
        assert [m.get_op('activation').name for m in matches] == ['relu', 'relu6']
        assert matches[0].get_op(bias).name == 'biased' and matches[0].get_op('sum') is None
        assert matches[1].get_op('sum').name == 'sum'  # its inputs in the other order
        assert matches[0].get_tensor('bias') is biased  # the output relu reads
        assert matcher.GraphMatcher(bias).match_op(graph.get_operation_by_name('relu')) is None
    with pytest.raises(ValueError, match='Only < 8 inputs'):
        matcher.OpTypePattern('*', inputs=['*'] * 9)
