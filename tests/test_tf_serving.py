"""TF Serving's REST API on predict_server.py: the same JSON a TF Serving client sends gets
the same answer from our server as from the exported SavedModel, loaded in-process in
eager TF2 and answered by TF Serving's JSON rules."""
import http.client
import json
from unittest.mock import ANY

import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import run_script
from servers import call, start_predict_server, train_model

# Answers a list of TF Serving request bodies from the SavedModel, the way TF Serving
# would: one output → bare values, several → objects keyed by output name.
SAVED_MODEL_CLIENT = r'''
import json, sys
import numpy as np
import tensorflow as tf
loaded = tf.saved_model.load(sys.argv[1])
answers = []
for request in json.load(open(sys.argv[2])):
    signature = loaded.signatures[request.get('signature_name', 'serving_default')]
    row = 'instances' in request
    images = request['instances'] if row else request['inputs']
    if isinstance(images, dict):
        images = images['images']
    images = [i['images'] if isinstance(i, dict) else i for i in images]
    out = {k: v.numpy().tolist() for k, v in signature(images=tf.constant(images, tf.float32)).items()}
    names = sorted(out)
    if row:
        answers.append({'predictions': out[names[0]] if len(names) == 1 else
                        [dict(zip(names, values)) for values in zip(*(out[n] for n in names))]})
    else:
        answers.append({'outputs': out[names[0]] if len(names) == 1 else out})
print(json.dumps(answers))
'''


@pytest.fixture(scope='module')
def serving(tiny_mnist, tmp_path_factory):
    root = tmp_path_factory.mktemp('tf_serving')
    train_model('nn', tiny_mnist, root / 'model')
    run_script('export_savedmodel.py', '--model', 'nn', '--model_root', str(root / 'model'),
               '--export_root', str(root / 'export'))
    # fp32 whatever --precision auto chooses for nn: answers are compared to float32 rounding.
    server = start_predict_server(root / 'model', '--precision', 'fp32')
    yield server, root
    server.stop()


def images(count, seed=0):
    return np.random.RandomState(seed).rand(count, 784).round(4).tolist()


def test_same_request_same_answer_as_the_saved_model(serving, tmp_path):
    server, root = serving
    requests = [
        {'instances': images(3)},
        {'signature_name': 'serving_default', 'instances': [{'images': i} for i in images(2)]},
        {'signature_name': 'predict_images', 'instances': images(4, 1)},
        {'inputs': images(2, 2)},
        {'signature_name': 'predict_images', 'inputs': {'images': images(3, 3)}},
    ]
    (tmp_path / 'requests.json').write_text(json.dumps(requests))
    (tmp_path / 'client.py').write_text(SAVED_MODEL_CLIENT)
    expected = json.loads(run_script(
        str(tmp_path / 'client.py'), str(root / 'export' / 'nn' / '1'),
        str(tmp_path / 'requests.json')).stdout.splitlines()[-1])
    for request, want in zip(requests, expected):
        status, _, got = call(server, 'POST', '/v1/models/nn:predict', request)
        assert status == 200, got
        assert got.keys() == want.keys()
        assert_same_json(got, want)
    # The default signature answers bare rows of ten scores, as the issue's clients expect.
    assert len(expected[0]['predictions'][0]) == 10
    assert set(expected[2]['predictions'][0]) == {'scores', 'classes'}


def assert_same_json(got, want):
    """Equal structure and keys; numbers equal to float32 rounding: the SavedModel runs on
    variables, the server on the same weights frozen into constants, and oneDNN may sum a
    matmul in another order for each (1e-5 relative, 1e-6 absolute)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys()
        for key in want:
            assert_same_json(got[key], want[key])
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same_json(g, w)
    else:
        assert got == pytest.approx(want, rel=1e-5, abs=1e-6)


# The SavedModel's signature defs as TF Serving's JSON shows them (protobuf's JSON with
# field names kept and default values printed).
SIGNATURE_DEFS = r'''
import json, sys
from google.protobuf import json_format
from tensorflow.core.protobuf import saved_model_pb2
saved = saved_model_pb2.SavedModel.FromString(open(sys.argv[1], 'rb').read())
signatures = saved.meta_graphs[0].signature_def
print(json.dumps({name: json_format.MessageToDict(
    signatures[name], preserving_proto_field_name=True,
    always_print_fields_with_no_presence=True) for name in sys.argv[2:]}))
'''


def test_model_status_lists_the_checkpoints_step_as_version(serving):
    for path in ('/v1/models/nn', '/v1/models/nn/versions/30'):
        status, _, answer = call(serving[0], 'GET', path)
        assert status == 200
        assert answer == {'model_version_status': [{
            'version': '30', 'state': 'AVAILABLE',
            'status': {'error_code': 'OK', 'error_message': ''}}]}


def test_metadata_is_the_saved_models_signature_defs(serving, tmp_path):
    server, root = serving
    (tmp_path / 'signatures.py').write_text(SIGNATURE_DEFS)
    expected = json.loads(run_script(
        str(tmp_path / 'signatures.py'), str(root / 'export' / 'nn' / '1' / 'saved_model.pb'),
        'serving_default', 'predict_images').stdout.splitlines()[-1])
    assert expected['serving_default']['inputs']['images']['tensor_shape']['dim'][1] == {
        'size': '784', 'name': ''}
    for path in ('/v1/models/nn/metadata', '/v1/models/nn/versions/30/metadata'):
        status, _, answer = call(server, 'GET', path)
        assert status == 200
        assert answer == {'model_spec': {'name': 'nn', 'signature_name': '', 'version': '30'},
                          'metadata': {'signature_def': {'signature_def': expected},
                                       'precision': 'fp32'}}


def test_a_version_is_callable_while_it_is_loaded(serving):
    request = {'instances': images(2)}
    _, _, latest = call(serving[0], 'POST', '/v1/models/nn:predict', request)
    status, _, answer = call(serving[0], 'POST', '/v1/models/nn/versions/30:predict', request)
    assert status == 200 and answer == latest
    for method, path in (('POST', '/v1/models/nn/versions/29:predict'),
                         ('GET', '/v1/models/nn/versions/31/metadata')):
        status, _, answer = call(serving[0], method, path, request if method == 'POST' else None)
        assert status == 404
        assert answer == {'error': 'Servable not found for request: Specific(nn, %s); '
                                   'loaded: version 30' % path.split('/')[5].split(':')[0]}
    # The status API in its own words (as TF Serving's GetModelStatus).
    assert call(serving[0], 'GET', '/v1/models/nn/versions/31') == (
        404, ANY, {'error': 'Could not find version 31 of model nn'})
    assert call(serving[0], 'GET', '/v1/models/nope') == (
        404, ANY, {'error': 'Could not find any versions of model nope'})


@pytest.mark.parametrize('path, body, status, message', [
    ('/v1/models/nope:predict', {'instances': images(1)}, 404, 'Servable not found'),
    ('/v1/models/nn:predict', {'instances': [[0.5] * 783]}, 400, 'expected 784 numbers'),
    ('/v1/models/nn:predict', {'instances': images(1), 'inputs': images(1)}, 400,
     'exactly one of'),
    ('/v1/models/nn:predict', {'signature_name': 'classify', 'instances': images(1)}, 400,
     'not found in signature def'),
    ('/v1/models/nn:predict', {'instances': []}, 400, 'non-empty list'),
    ('/v1/models/nn:predict', [1, 2, 3], 400, 'must be an object'),
    # TF Serving's other verbs and version labels: refused in its words, not "unknown path".
    ('/v1/models/nn:classify', {'examples': []}, 400, 'Expected classification signature '
     'method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict'),
    ('/v1/models/nn:regress', {'examples': []}, 400, 'Expected regression signature '
     'method_name to be tensorflow/serving/regress. Was: tensorflow/serving/predict'),
    ('/v1/models/nope:classify', {'examples': []}, 404, 'Servable not found'),
    ('/v1/models/nn/labels/stable:predict', {'instances': images(1)}, 404,
     'Unrecognized servable version label: stable'),
    ('/v1/models/nn:explain', {'instances': images(1)}, 404, 'unknown path'),
    ('/v1/models/nn/metadata:predict', {'instances': images(1)}, 404, 'unknown path'),
    ('/v1/models/nn/versions/x:predict', {'instances': images(1)}, 404, 'unknown path'),
    # A batch holds at most 1,000 images: counted after parsing, and as the body arrives.
    ('/v1/models/nn:predict', {'instances': [[0] * 784] * 1001}, 413,
     '1001 images is over the limit of 1000 per request'),
    ('/v1/models/nn:predict', {'instances': [[0] * 790000]}, 413,
     'more than a batch of 1000 images of 784 numbers holds'),
])
def test_errors_use_tf_servings_shape(serving, path, body, status, message):
    got_status, _, answer = call(serving[0], 'POST', path, body)
    assert got_status == status
    assert list(answer) == ['error'] and message in answer['error']


def scrape(server):
    """The server's metrics as {(sample name, sorted labels): value}, parsed by
    prometheus_client's own parser."""
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
    try:
        connection.request('GET', '/monitoring/prometheus/metrics')
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader('Content-Type').startswith('text/plain')
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_metrics_count_what_was_sent(serving):
    server = serving[0]
    before = scrape(server)
    for count in (2, 3, 5):
        assert call(server, 'POST', '/v1/models/nn:predict', {'instances': images(count)})[0] == 200
    for _ in range(2):
        assert call(server, 'GET', '/v1/models/nn/metadata')[0] == 200
    assert call(server, 'POST', '/v1/models/nn:predict', {'instances': []})[0] == 400
    assert call(server, 'POST', '/v1/models/nope:predict', {'instances': images(1)})[0] == 404
    assert call(server, 'GET', '/nowhere')[0] == 404
    after = scrape(server)

    def change(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after[key] - before.get(key, 0)

    predict, metadata = '/v1/models/NAME:predict', '/v1/models/NAME/metadata'
    for route, status, count in ((predict, '200', 3), (predict, '400', 1), (predict, '404', 1),
                                 (metadata, '200', 2), ('unknown', '404', 1),
                                 ('/monitoring/prometheus/metrics', '200', 1)):
        assert change('predict_server_requests_total', route=route, status=status) == count
    assert change('predict_server_request_latency_seconds_count', model='nn', route=predict) == 4
    assert change('predict_server_request_latency_seconds_count', model='', route=predict) == 1
    assert change('predict_server_request_latency_seconds_bucket', model='nn', route=metadata,
                  le='+Inf') == 2
    assert change('predict_server_batch_size_count', model='nn') == 3
    assert change('predict_server_batch_size_sum', model='nn') == 10
    assert after[('predict_server_model_versions_loaded',
                  (('model', 'nn'), ('version', '30')))] == 1
    assert after[('predict_server_model_reloads_total', (('model', 'nn'),))] == 0
    assert after[('predict_server_model_reload_failures_total', (('model', 'nn'),))] == 0
