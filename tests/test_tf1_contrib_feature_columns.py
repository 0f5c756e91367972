"""contrib.layers' feature columns and their layers, and contrib.learn's wide & deep
estimators, as TF 1.0-1.3's wide & deep tutorial used them: TF 1.x's variable names,
contrib's combiners and column order worked out again in numpy, TF 1.x's global-step bug."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_layers as layers
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()


def census(count=240, seed=0):
    """Census-like rows, the label a function of age and education."""
    rng = np.random.RandomState(seed)
    age = rng.uniform(18, 70, count).astype(np.float32)
    education = rng.choice(['Bachelors', 'HS-grad', 'Doctorate'], count)
    gender = rng.choice(['Female', 'Male'], count)
    occupation = rng.choice(['Sales', 'Tech', 'Craft'], count)
    label = ((age > 40) ^ (education == 'Doctorate')).astype(np.int64)
    return {'age': age, 'education': education, 'gender': gender,
            'occupation': occupation}, label


def tutorial_input_fn(data, label):
    """TF 1.0's tutorial input_fn: constants for continuous columns, a [rows, 1]
    SparseTensor for each categorical one."""
    def input_fn():
        features = {'age': tf.constant(data['age'])}
        for key in ('education', 'gender', 'occupation'):
            values = data[key]
            features[key] = tf.SparseTensor([[i, 0] for i in range(len(values))], values,
                                            [len(values), 1])
        return features, tf.constant(label)
    return input_fn


def tutorial_columns():
    gender = layers.sparse_column_with_keys('gender', keys=['Female', 'Male'])
    education = layers.sparse_column_with_hash_bucket('education', hash_bucket_size=1000)
    occupation = layers.sparse_column_with_hash_bucket('occupation', hash_bucket_size=1000)
    age = layers.real_valued_column('age')
    age_buckets = layers.bucketized_column(age, boundaries=[25, 30, 40, 50, 60])
    wide = [gender, education, occupation, age_buckets,
            layers.crossed_column([education, occupation], hash_bucket_size=int(1e4)),
            layers.crossed_column([age_buckets, education], hash_bucket_size=1000)]
    deep = [layers.embedding_column(education, dimension=4),
            layers.embedding_column(occupation, dimension=4), age]
    return wide, deep


def test_the_tf_1_0_wide_and_deep_tutorial_trains_with_tf1s_names(tmp_path):
    data, label = census()
    wide, deep = tutorial_columns()
    model = tf1_api.contrib.learn.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path), linear_feature_columns=wide, dnn_feature_columns=deep,
        dnn_hidden_units=[16, 8], fix_global_step_increment_bug=True)
    model.fit(input_fn=tutorial_input_fn(data, label), steps=200)
    results = model.evaluate(input_fn=tutorial_input_fn(data, label), steps=1)
    assert results['accuracy'] > 0.9 and results['global_step'] == 200
    names = set(model.get_variable_names())
    assert {'linear/gender/weights', 'linear/education/weights', 'linear/age_bucketized/weights',
            'linear/education_X_occupation/weights', 'linear/bias_weight',
            'linear/age_bucketized_X_education/weights',
            'dnn/input_from_feature_columns/education_embedding/weights',
            'dnn/input_from_feature_columns/occupation_embedding/weights',
            'dnn/hiddenlayer_0/weights', 'dnn/hiddenlayer_1/biases', 'dnn/logits/weights'
            } <= names
    assert model.get_variable_value('linear/education_X_occupation/weights').shape == (10000, 1)
    # Embeddings 4 + 4 wide, then age: the first layer's input is 9 wide.
    assert model.get_variable_value('dnn/hiddenlayer_0/weights').shape == (9, 16)
    classes = list(model.predict_classes(input_fn=tutorial_input_fn(data, label)))
    assert np.mean(np.array(classes) == label) == pytest.approx(results['accuracy'])


@pytest.mark.parametrize('fixed, steps_per_batch', [(True, 1), (False, 2)])
def test_global_step_increment_bug_is_tf1s(fixed, steps_per_batch, tmp_path):
    data, label = census(count=20)
    wide, deep = tutorial_columns()
    model = tf1_api.contrib.learn.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path), linear_feature_columns=wide, dnn_feature_columns=deep,
        dnn_hidden_units=[4], fix_global_step_increment_bug=fixed)
    model.fit(input_fn=tutorial_input_fn(data, label), steps=1)
    assert model.get_variable_value('global_step') == steps_per_batch


def test_weighted_sum_uses_each_columns_combiner():
    with tf.Graph().as_default():
        summed = layers.sparse_column_with_keys('tags', ['a', 'b', 'c'])
        averaged = layers.sparse_column_with_keys('words', ['x', 'y'], combiner='mean')
        features = {'tags': tf.SparseTensor([[0, 0], [0, 1], [1, 0]], ['a', 'c', 'b'], [2, 2]),
                    'words': tf.SparseTensor([[0, 0], [0, 1], [1, 0]], ['x', 'y', 'y'], [2, 2]),
                    'n': tf.SparseTensor([[0, 0], [1, 0]], tf.constant([7, 3], tf.int64),
                                         [2, 1])}
        integerized = layers.sparse_column_with_integerized_feature('n', bucket_size=5)
        predictions, variables, bias = layers.weighted_sum_from_feature_columns(
            features, [summed, averaged, integerized], num_outputs=1, scope='linear')
        assert [v.op.name for v in variables[summed]] == ['linear/tags/weights']
        assert bias.op.name == 'linear/bias_weight'
        with tf.Session() as session:
            session.run(tf.tables_initializer())
            session.run([tf.assign(variables[summed][0], [[1.], [10.], [100.]]),
                         tf.assign(variables[averaged][0], [[2.], [4.]]),
                         tf.assign(variables[integerized][0], [[0.], [0.], [1000.], [0.], [0.]]),
                         tf.assign(bias, [0.5])])
            values = session.run(predictions)
    # Row 0: a + c summed, x and y averaged, 7 % 5 = 2; row 1: b, y, 3.
    np.testing.assert_allclose(values[:, 0], [101 + 3 + 1000 + 0.5, 10 + 4 + 0 + 0.5])


def test_dnn_input_takes_contribs_column_order():
    with tf.Graph().as_default():
        colour = layers.sparse_column_with_keys('colour', ['red', 'blue'])
        columns = [layers.real_valued_column('size'), layers.one_hot_column(colour),
                   layers.embedding_column(colour, dimension=3, combiner='sum')]
        features = {'size': tf.constant([[5.]]),
                    'colour': tf.SparseTensor([[0, 0], [0, 1]], ['red', 'blue'], [1, 2])}
        net = layers.input_from_feature_columns(features, columns)
        embeddings = tf.global_variables()[0]
        assert embeddings.op.name == 'input_from_feature_columns/colour_embedding/weights'
        with tf.Session() as session:
            session.run([tf.global_variables_initializer(), tf.tables_initializer()])
            values, table = session.run([net, embeddings])
    # _EmbeddingColumn, then _OneHotColumn, then _RealValuedColumn, as contrib sorted them.
    np.testing.assert_allclose(values[0], np.concatenate([table.sum(axis=0), [1, 1], [5]]),
                               rtol=1e-6)


def test_parsing_and_errors():
    columns = [layers.real_valued_column('age'),
               layers.sparse_column_with_hash_bucket('city', 10)]
    example = tf.train.Example(features=tf.train.Features(feature={
        'age': tf.train.Feature(float_list=tf.train.FloatList(value=[31.])),
        'city': tf.train.Feature(bytes_list=tf.train.BytesList(value=[b'Oslo']))}))
    with tf.Graph().as_default(), tf.Session() as session:
        parsed = session.run(layers.parse_feature_columns_from_examples(
            [example.SerializeToString()], columns))
    assert parsed['age'].tolist() == [[31.]] and parsed['city'].values.tolist() == [b'Oslo']
    with pytest.raises(ValueError, match='Combiner must be one of'):
        layers.sparse_column_with_keys('x', ['a'], combiner='max')
    with pytest.raises(ValueError, match='Column city is not supported in DNN'):
        with tf.Graph().as_default():
            layers.input_from_feature_columns({'city': tf.SparseTensor([[0, 0]], ['a'], [1, 1])},
                                              columns[1:])
    with pytest.raises(ValueError, match='Either linear_feature_columns or dnn_feature_columns'):
        tf1_api.contrib.learn.DNNLinearCombinedRegressor()
    with pytest.raises(ValueError, match='dnn_hidden_units must be defined'):
        tf1_api.contrib.learn.DNNLinearCombinedClassifier(dnn_feature_columns=columns[:1])


def test_contrib_export_with_input_fn_utils(tmp_path):
    # TF 1.x's Cloud ML census sample: a contrib.learn wide & deep model exported by a
    # serving input_fn returning InputFnOps (tf.contrib.learn.utils.input_fn_utils).
    data, label = census(count=60)
    wide, deep = tutorial_columns()
    model = tf1_api.contrib.learn.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path / 'model'), linear_feature_columns=wide,
        dnn_feature_columns=deep, dnn_hidden_units=[4], fix_global_step_increment_bug=True)
    model.fit(input_fn=tutorial_input_fn(data, label), steps=5)
    input_fn_utils = tf1_api.contrib.learn.utils.input_fn_utils
    spec = layers.create_feature_spec_for_parsing(wide + deep)
    export_dir = model.export_savedmodel(
        str(tmp_path / 'export'), input_fn_utils.build_parsing_serving_input_fn(spec))
    one = {'age': np.array([33.], np.float32), 'education': np.array(['Doctorate']),
           'occupation': np.array(['Tech']), 'gender': np.array(['Male'])}
    example = tf.train.Example(features=tf.train.Features(feature=dict(
        {key: tf.train.Feature(bytes_list=tf.train.BytesList(value=[one[key][0].encode()]))
         for key in ('education', 'occupation', 'gender')},
        age=tf.train.Feature(float_list=tf.train.FloatList(value=[33.])))))
    expected = list(model.predict_proba(input_fn=tutorial_input_fn(one, label[:1])))[0]
    with tf.Graph().as_default(), tf.Session() as session:
        signature = tf.saved_model.loader.load(session, ['serve'],
                                               export_dir).signature_def['serving_default']
        assert list(signature.inputs) == ['examples']
        outputs = session.run({key: value.name for key, value in signature.outputs.items()},
                              {signature.inputs['examples'].name: [example.SerializeToString()]})
    np.testing.assert_allclose(outputs['probabilities'][0], expected, rtol=1e-5)
    assert tf1_api.contrib.learn.InputFnOps is input_fn_utils.InputFnOps


def test_column_classes_and_embedding_initialization_are_contribs():
    city = layers.sparse_column_with_hash_bucket('city', 10000)
    embedded = layers.embedding_column(city, dimension=8)
    feature_column = tf1_api.contrib.layers.feature_column
    assert isinstance(city, feature_column._SparseColumn)
    assert not isinstance(embedded, feature_column._SparseColumn)
    assert isinstance(embedded, feature_column._EmbeddingColumn)
    assert isinstance(layers.real_valued_column('a'), feature_column._RealValuedColumn)
    assert all(isinstance(column, feature_column._FeatureColumn) for column in (city, embedded))
    with tf.Graph().as_default():
        layers.input_from_feature_columns({'city': tf.constant([['Oslo']])}, [embedded])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            table = session.run(tf.global_variables()[0])
    # contrib's truncated normal of stddev 1/sqrt(10000 ids), not 1/sqrt(8 dimensions).
    assert 0.005 < table.std() < 0.011


def test_layer_sizes_may_be_numeric_strings(tmp_path):
    # TF 1.x's shapes took '64' (Cloud ML's trainers split a --hidden_units flag).
    data, label = census(count=40)
    model = tf1_api.estimator.DNNRegressor(hidden_units=['8', '4'], model_dir=str(tmp_path),
                                           feature_columns=[layers.real_valued_column('age')])
    model.train(lambda: ({'age': tf.constant(data['age'])}, tf.constant(label, tf.float32)),
                steps=2)
    assert model.get_variable_value('dnn/hiddenlayer_1/kernel').shape == (8, 4)


def test_contrib_columns_have_their_namedtuple_fields_and_stay_immutable():
    ids = layers.sparse_column_with_hash_bucket('a', 10)
    real = layers.real_valued_column('p', dimension=3)
    assert real.dimension == 3 and ids.bucket_size == 10
    assert layers.embedding_column(ids, 4).sparse_id_column is ids
    assert layers.one_hot_column(ids).sparse_id_column is ids
    assert layers.weighted_sparse_column(ids, 'w').weight_column_name == 'w'
    assert layers.sparse_column_with_keys('k', ['x', 'y']).lookup_config.keys == ('x', 'y')
    assert real.config == {'p': tf.FixedLenFeature((3,), tf.float32)}
    with pytest.raises(AttributeError):
        ids.bucket_size = 5
    # Repeated boundaries are dropped; a bucketized column needs a real-valued one.
    assert layers.bucketized_column(real, [1., 2., 2., 3.]).boundaries == (1., 2., 3.)
    with pytest.raises(TypeError, match='source_column must be an instance of '
                                        '_RealValuedColumn'):
        layers.bucketized_column(ids, [1., 2.])


def test_one_hot_of_a_weighted_column_as_a_dnn_input():
    ids = layers.sparse_column_with_keys('ids', ['a', 'b', 'c', 'unseen'])
    column = layers.one_hot_column(layers.weighted_sparse_column(ids, 'weights'))
    indices = [[0, 0], [1, 0], [2, 0], [2, 1]]
    features = {'ids': tf.SparseTensor(indices, ['c', 'b', 'a', 'c'], [3, 2]),
                'weights': tf.SparseTensor(indices, [10., 20., 30., 40.], [3, 2])}
    dense = layers.input_from_feature_columns(features, [column])
    assert dense.shape.as_list() == [None, 4]
    with tf.Session() as session:
        session.run([tf.global_variables_initializer(), tf.tables_initializer()])
        got = session.run(dense)
    np.testing.assert_array_equal(got, [[0, 0, 10, 0], [0, 20, 0, 0], [30, 0, 40, 0]])


def test_parsing_adds_each_columns_transformed_value():
    price = layers.real_valued_column('price', dimension=3)
    bucket = layers.bucketized_column(price, boundaries=[0., 10., 100.])
    wire = layers.sparse_column_with_keys('wire_cast', ['marlo', 'omar', 'stringer'])
    example = tf.train.Example(features=tf.train.Features(feature={
        'price': tf.train.Feature(float_list=tf.train.FloatList(value=[20., 110, -3])),
        'wire_cast': tf.train.Feature(bytes_list=tf.train.BytesList(
            value=[b'stringer', b'marlo']))}))
    parsed = layers.parse_feature_columns_from_examples([example.SerializeToString()],
                                                        [bucket, wire])
    assert 'price' in parsed and bucket in parsed and wire in parsed
    transformed = layers.transform_features({'price': tf.constant([[5., 50., 500.]])}, [bucket])
    with tf.Session() as session:
        session.run(tf.tables_initializer())
        buckets, ids, later = session.run([parsed[bucket], parsed[wire], transformed[bucket]])
    assert buckets.tolist() == [[2, 3, 0]] and ids.values.tolist() == [2, 0]
    assert later.tolist() == [[1, 2, 3]] and list(transformed) == [bucket]


def test_layers_check_their_columns_as_tf_1_x():
    price = layers.real_valued_column('price')
    with pytest.raises(ValueError, match='Expected feature_columns to be iterable, found dict'):
        layers.input_from_feature_columns({'price': tf.ones([2, 1])}, {'price': price})
    with pytest.raises(ValueError, match='Duplicate feature column key found for column: '
                                         'price'):
        layers.input_from_feature_columns({'price': tf.ones([2, 1])}, [price, price])
    with pytest.raises(ValueError, match='mapping must be specified'):
        tf1_api.contrib.lookup.index_table_from_tensor(mapping=None)


def test_shared_embedding_columns_look_up_one_matrix(tmp_path):
    a = layers.sparse_column_with_keys('aaa', ['x', 'y', 'z'])
    b = layers.sparse_column_with_keys('bbb', ['p', 'q', 'r'])
    first, second = layers.shared_embedding_columns([b, a], dimension=2)
    assert first.shared_embedding_name == 'aaa_bbb_shared_embedding'  # sorted by name
    assert (first.name, second.name) == ('bbb_shared_embedding', 'aaa_shared_embedding')
    features = {'aaa': tf.SparseTensor([[0, 0], [1, 0]], ['x', 'z'], [2, 1]),
                'bbb': tf.SparseTensor([[0, 0], [1, 0]], ['r', 'p'], [2, 1])}
    dense = layers.input_from_feature_columns(features, [first, second])
    shared, = [v for v in tf.global_variables() if 'shared' in v.op.name]
    assert shared.op.name.endswith('/aaa_shared_embedding/aaa_bbb_shared_embedding')
    with tf.Session() as session:
        session.run([tf.global_variables_initializer(), tf.tables_initializer()])
        matrix, got = session.run([shared, dense])
        path = tf.train.Saver().save(session, str(tmp_path / 'model.ckpt'))
    # aaa's ids x, z are rows 0, 2; bbb's r, p rows 2, 0 (aaa's embedding comes first).
    np.testing.assert_array_equal(got, np.hstack([matrix[[0, 2]], matrix[[2, 0]]]))
    with pytest.raises(ValueError, match='not compatible'):
        layers.shared_embedding_columns([a, layers.sparse_column_with_hash_bucket('c', 9)], 2)
    # An embedding column can start from a checkpoint's matrix.
    with tf.Graph().as_default():
        warm = layers.embedding_column(a, 2, ckpt_to_load_from=path,
                                       tensor_name_in_ckpt=shared.op.name)
        looked_up = layers.input_from_feature_columns(
            {'aaa': tf.SparseTensor([[0, 0]], ['y'], [1, 1])}, [warm])
        with tf.Session() as session:
            session.run([tf.global_variables_initializer(), tf.tables_initializer()])
            np.testing.assert_array_equal(session.run(looked_up), matrix[[1]])
