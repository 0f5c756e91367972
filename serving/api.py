"""The server's API without the server: parsing request bodies and shaping answers, for
our own /predict and for TensorFlow Serving's REST API. JSON and NumPy only; every client
mistake raises RequestError with the status and the one line to answer."""
import json
import time
from http import HTTPStatus

import numpy as np
import orjson

from graphs import imageops
from graphs import contract
from graphs.contract import IMAGE_PIXELS, IMAGE_SIZE

REQUEST_FIELDS = ('image', 'models', 'preprocess', 'max_value')
# Images in one TF Serving request (its body is capped by serving/http.py too).
MAX_BATCH_INSTANCES = 1000
# A batch body holding more arrays and objects, or more values, than that many images can
# is refused before json.loads builds a Python object for each: about 30 bytes a number,
# and far more than the 3 bytes of "[]," for an empty list.
MAX_BATCH_CONTAINERS = 2 * MAX_BATCH_INSTANCES + 4  # {"images": [...]} each, the outer two
MAX_BATCH_VALUES = MAX_BATCH_INSTANCES * (IMAGE_PIXELS + 1) + 4
# Client text quoted back in an error (a name, a path) is cut to this many characters: an
# answer stays small whatever was sent, so a client that sends large requests and never
# reads the answers cannot make the server write large answers.
MAX_ECHO_CHARS = 80
FAINTEST = 0.5 / 255  # of 0..1: a pixel below it is 0 in MNIST's 8-bit format


class RequestError(Exception):
    """A client mistake: answered with `status` and {"error": message}; a 429 or 503
    may say in `retry_after` how many seconds to wait (the Retry-After header)."""

    def __init__(self, status, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def clipped(text, limit=MAX_ECHO_CHARS):
    """Client text, cut to `limit` characters for quoting in an error."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + '...'


def parse_json(body, fast=True):
    """The value of a JSON body. With `fast`, orjson reads it first, several times faster
    than the standard library (bench/README.md, "Serving speed"), an integer beyond 64 bits
    as the nearest float (as a pixel becomes anyway); what it refuses (a mistake, NaN, a
    number beyond any float, UTF-16, a lone surrogate) goes to json.loads, which accepts
    all the standard allows and says in its own words what is wrong with the rest."""
    if fast:
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError
        raise RequestError(HTTPStatus.BAD_REQUEST, 'malformed JSON: %s' % error)


def encode_json(payload):
    """An answer as strict JSON bytes, written by orjson (faster, as above); a string it
    cannot write (client text holding a lone surrogate) goes to json.dumps, which escapes
    it. NaN and infinities never reach here: the answers refuse or replace them
    (finite_scores, json_safe)."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return json.dumps(payload, separators=(',', ':'), allow_nan=False).encode()


def _reject_constant(name):
    raise RequestError(HTTPStatus.BAD_REQUEST,
                       '%s is not a valid JSON number; pixels must be finite numbers' % name)


# ---------------------------------------------------------------------------- /predict

def parse_predict_request(payload, model_names):
    """(image [784] float32 in 0..1, model names, preprocess flag, max_value) from a
    decoded /predict body; raises RequestError saying what is wrong."""
    if isinstance(payload, list):
        payload = {'image': payload}
    elif not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'expected a JSON array of 784 pixels or '
                           'an object {"image": [...], "models": [...], "preprocess": true}')
    refuse_unknown_fields(payload, REQUEST_FIELDS)
    if 'image' not in payload:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'missing "image": 784 pixel values')
    preprocess = payload.get('preprocess', True)
    if not isinstance(preprocess, bool):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"preprocess" must be true or false')
    pixels, max_value = parse_pixels(payload['image'], payload.get('max_value'))
    names = parse_model_names(payload.get('models'), model_names)
    return pixels, names, preprocess, max_value


def refuse_unknown_fields(payload, fields):
    """RequestError naming the fields of the object `payload` not among `fields`."""
    unknown = sorted(set(payload) - set(fields))
    if unknown:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'unknown field(s) %s; expected %s' % (
            clipped(', '.join(unknown)), ', '.join(fields)))


def parse_pixels(values, max_value=None):
    """784 numbers (flat, or 28 rows of 28) → float32 [784] in 0..1, and the scale used:
    `max_value` 1 or 255, or when omitted 255 if any value is above 1, else 1."""
    if not isinstance(values, list):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"image" must be an array of 784 numbers')
    if len(values) == IMAGE_SIZE and all(isinstance(row, list) for row in values):
        if any(len(row) != IMAGE_SIZE for row in values):
            raise RequestError(HTTPStatus.BAD_REQUEST, 'a 28×28 image needs 28 values per row')
        values = [value for row in values for value in row]
    if len(values) != IMAGE_PIXELS:
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           'expected 784 pixel values (28×28), got %d' % len(values))
    if not set(map(type, values)) <= {int, float}:  # exact types: a bool is not a pixel
        index = next(i for i, value in enumerate(values) if type(value) not in (int, float))
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel %d is %s, not a number' % (
            index, json.dumps(values[index])[:40]))
    try:
        pixels = np.array(values, dtype=np.float64)
    except OverflowError:  # an integer too large for a float
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must lie in 0..255')
    if not np.isfinite(pixels).all():  # 1e999 parses as inf
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must be finite numbers')
    if max_value is None:
        max_value = 255 if pixels.max() > 1 else 1
    elif type(max_value) not in (int, float) or max_value not in (1, 255):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"max_value" must be 1 or 255')
    if pixels.min() < 0 or pixels.max() > max_value:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must lie in 0..%g, got %g..%g'
                           % (max_value, pixels.min(), pixels.max()))
    return (pixels / max_value).astype(np.float32), int(max_value)


def model_input(pixels, preprocess):
    """The 28×28 the models are fed: `pixels` normalised the way MNIST's digits were
    (imageops.normalise_digit), or as they are. The normalisation scales the brightest
    pixel to full ink, so pixels fainter than MNIST's 8-bit format holds (under half of
    its grey level 1) are taken as no ink first: a speck of 1e-9 is not a digit."""
    if not preprocess:
        return pixels.reshape(IMAGE_SIZE, IMAGE_SIZE)
    return imageops.normalise_digit(np.where(pixels < FAINTEST, 0, pixels))


def parse_model_names(requested, model_names):
    """The requested model names (all loaded ones when None), duplicates dropped."""
    if requested is None:
        return list(model_names)
    if (not isinstance(requested, list) or not requested
            or not all(isinstance(name, str) for name in requested)):
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           '"models" must be a non-empty array of model names')
    unknown = [name for name in requested if name not in model_names]
    if unknown:
        raise RequestError(HTTPStatus.NOT_FOUND, 'unknown model %s; loaded: %s' % (
            json.dumps(clipped(unknown[0])), ', '.join(model_names)))
    return list(dict.fromkeys(requested))


def finite_scores(scores, what):
    """Refuse scores that are not all finite numbers (JSON has none for NaN or infinity):
    the input made the model's arithmetic overflow."""
    if not np.isfinite(scores).all():
        row = int(np.argwhere(~np.isfinite(scores))[0][0])
        raise RequestError(HTTPStatus.BAD_REQUEST, 'the input overflowed: %s %d gives scores '
                           'that are not finite numbers; send pixel values in 0..255'
                           % (what, row))


def json_safe(value):
    """`value` with every non-finite float (NaN, infinity: not JSON) replaced by None, in
    lists and dicts too; for what the server reports rather than computes (model.json)."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    return value


def predict(runner, pixels, names, preprocess, models):
    """Run the named models (a runner.ModelRunner, on `models`: see its run) on one image;
    the /predict answer (without max_value). Each entry names the version that answered
    (a page can tell that its list of models is out of date); the ensemble's lists its
    members."""
    started = time.perf_counter()
    image = model_input(pixels, preprocess)
    outcomes = runner.run(names, image.reshape(1, IMAGE_PIXELS), models)
    results = []
    for name in names:  # in the order asked for
        probabilities, predictions, seconds = outcomes[name]
        finite_scores(probabilities, 'model %s on image' % name)
        results.append({
            'name': name,
            'prediction': int(predictions[0]),
            'probabilities': [round(p, 6) for p in probabilities[0].tolist()],
            'milliseconds': round(1000 * seconds, 3),
            'version': models[name].version,
        })
        members = getattr(models[name], 'members', None)
        if members is not None:
            results[-1]['members'] = members
    return {
        'models': results,
        'agree': len({result['prediction'] for result in results}) == 1,
        'preprocessed': preprocess,
        'input': np.round(image, 3).tolist(),
        'milliseconds': round(1000 * (time.perf_counter() - started), 3),
    }


# ---------------------------------------------------------------------------- TF Serving

# The signatures export_savedmodel.py writes, as {name: outputs}: a client written for
# TensorFlow Serving gets the same JSON from us as from TF Serving serving our export.
SIGNATURES = {'serving_default': ('scores',), 'predict_images': ('scores', 'classes')}
INPUT_NAME = 'images'


# The contract's tensors behind the signatures' input and outputs.
SIGNATURE_TENSORS = {INPUT_NAME: contract.INPUT, 'scores': contract.PROBABILITIES,
                     'classes': contract.PREDICTION}
PREDICT_METHOD = 'tensorflow/serving/predict'


def find_model(models, name, version=None):
    """The model called `name`; with a version (a string of digits, from the path), only
    while that version is the one loaded. RequestError 404 in TF Serving's words."""
    if name not in models:
        raise RequestError(HTTPStatus.NOT_FOUND, 'Servable not found for request: Latest(%s); '
                           'loaded: %s' % (clipped(name), ', '.join(models)))
    model = models[name]
    if version is not None and int(version) != model.version:
        raise RequestError(HTTPStatus.NOT_FOUND, 'Servable not found for request: '
                           'Specific(%s, %s); loaded: version %d' % (
                               clipped(name), clipped(version), model.version))
    return model


class BatchSize:
    """Counts a TF Serving body's arrays, objects and values piece by piece as it arrives,
    without parsing it: add() raises RequestError as soon as there are more than a batch
    can hold, so such a body is refused before it is even read whole. `values` is then at
    most how many numbers parsing it will build."""

    def __init__(self):
        self.containers, self.values = 0, 1

    def add(self, piece):
        self.containers += piece.count(b'[') + piece.count(b'{')
        if self.containers > MAX_BATCH_CONTAINERS:
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, 'over %d arrays and '
                               'objects: more than a batch of %d images holds' % (
                                   MAX_BATCH_CONTAINERS, MAX_BATCH_INSTANCES))
        self.values += piece.count(b',')
        if self.values > MAX_BATCH_VALUES:
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, 'over %d values: more '
                               'than a batch of %d images of %d numbers holds' % (
                                   MAX_BATCH_VALUES, MAX_BATCH_INSTANCES, IMAGE_PIXELS))


def parse_tf_serving_request(payload):
    """TF Serving's predict request → (images [N, 784] float32, signature name, row format).

    Row format: {"signature_name": ..., "instances": [image, ...]}, an image being 784
    numbers or {"images": [784 numbers]}. Columnar: {"inputs": [images]} or
    {"inputs": {"images": [images]}}. Pixels are fed as they are: no preprocessing, as a
    SavedModel would be fed."""
    if not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'JSON Value: body must be an object with '
                           '"instances" or "inputs"')
    signature = payload.get('signature_name', 'serving_default')
    if not isinstance(signature, str) or signature not in SIGNATURES:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'Serving signature name: "%s" not found in '
                           'signature def; available: %s' % (clipped(signature),
                                                             ', '.join(SIGNATURES)))
    if ('instances' in payload) == ('inputs' in payload):
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           'the request needs exactly one of "instances" or "inputs"')
    row_format = 'instances' in payload
    images = payload['instances'] if row_format else payload['inputs']
    if row_format and isinstance(images, list):
        images = [image[INPUT_NAME] if isinstance(image, dict) and set(image) == {INPUT_NAME}
                  else image for image in images]
    elif isinstance(images, dict):
        if set(images) != {INPUT_NAME}:
            raise RequestError(HTTPStatus.BAD_REQUEST, '"inputs" must name only "%s"'
                               % INPUT_NAME)
        images = images[INPUT_NAME]
    return image_batch(images), signature, row_format


def image_batch(images):
    """A list of images, each 784 numbers → float32 [N, 784], or RequestError."""
    if (not isinstance(images, list) or not images
            or not all(isinstance(image, list) for image in images)):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'expected a non-empty list of images, '
                           'each 784 numbers')
    if len(images) > MAX_BATCH_INSTANCES:
        raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, '%d images is over the limit '
                           'of %d per request' % (len(images), MAX_BATCH_INSTANCES))
    for index, image in enumerate(images):
        if len(image) != IMAGE_PIXELS or not set(map(type, image)) <= {int, float}:
            raise RequestError(HTTPStatus.BAD_REQUEST, 'image %d: expected 784 numbers' % index)
    try:
        batch = np.array(images, dtype=np.float32)
    except OverflowError:  # an integer too large for a float
        batch = None
    if batch is None or not np.isfinite(batch).all():  # 1e999 parses as inf
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must be finite numbers')
    return batch


def tf_serving_answer(signature, row_format, scores, classes):
    """TF Serving's JSON: one output → bare values, several → objects keyed by output."""
    finite_scores(scores, 'image')
    outputs = {'scores': scores.tolist(), 'classes': classes.tolist()}
    names = SIGNATURES[signature]
    if row_format:
        if len(names) == 1:
            return {'predictions': outputs[names[0]]}
        return {'predictions': [dict(zip(names, row))
                                for row in zip(*(outputs[name] for name in names))]}
    if len(names) == 1:
        return {'outputs': outputs[names[0]]}
    return {'outputs': {name: outputs[name] for name in names}}


def tf_serving_status(name, model, loading=None, retired=(), version=None, failed=None):
    """GET /v1/models/NAME[/versions/V]: the version loaded (model None: none is), the
    one `loading` (serving/reload.py) if any, those `retired` from serving (newest
    first), and the last that `failed` to load, (version, why), as TF Serving lists
    versions: AVAILABLE, LOADING, END (a failed one with its error). With `version`, only
    that one. RequestError 404, in TF Serving's words, when there is none."""
    ok = {'error_code': 'OK', 'error_message': ''}
    versions = ([(model.version, 'AVAILABLE', ok)] if model else []) + (
        [(loading, 'LOADING', ok)] if loading else []) + [
        (old, 'END', ok) for old in retired]
    if failed and failed[0] is not None and failed[0] not in [v[0] for v in versions]:
        versions.append((failed[0], 'END', {'error_code': 'UNKNOWN',
                                            'error_message': failed[1]}))
    if version is not None:
        versions = [entry for entry in versions if entry[0] == int(version)]
    if not versions:
        raise RequestError(HTTPStatus.NOT_FOUND, 'Could not find %s of model %s' % (
            'any versions' if version is None else 'version %s' % clipped(version),
            clipped(name)))
    return {'model_version_status': [{'version': str(number), 'state': state,
                                      'status': status} for number, state, status in versions]}


def tf_serving_metadata(model):
    """GET /v1/models/NAME/metadata: the signatures export_savedmodel.py writes, with the
    model's own dtypes and shapes, as TF Serving's JSON shows a GetModelMetadataResponse
    (every field printed, so also SignatureDef's `defaults`, empty here); and, as one more
    entry of its metadata map, the precision the model is served in."""
    tensors = {name: tensor_info(tensor, model.tensor_specs[tensor])
               for name, tensor in SIGNATURE_TENSORS.items()}
    signatures = {signature: {'inputs': {INPUT_NAME: tensors[INPUT_NAME]},
                              'outputs': {name: tensors[name] for name in outputs},
                              'method_name': PREDICT_METHOD, 'defaults': {}}
                  for signature, outputs in SIGNATURES.items()}
    return {'model_spec': {'name': model.name, 'signature_name': '',
                           'version': str(model.version)},
            'metadata': {'signature_def': {'signature_def': signatures},
                         'precision': model.precision}}


def tensor_info(tensor, spec):
    """A TensorInfo as JSON: sizes are strings (int64 in protobuf's JSON), -1 for any."""
    dtype, dims = spec
    if dims is None:
        shape = {'unknown_rank': True}
    else:
        shape = {'dim': [{'size': str(-1 if size is None else size), 'name': ''}
                         for size in dims], 'unknown_rank': False}
    return {'dtype': dtype, 'tensor_shape': shape, 'name': tensor}


def models_answer(models):
    """GET /models: the loaded models, with their test accuracy and training step."""
    return {'models': [json_safe(model.describe()) for model in models.values()],
            'preprocess_default': True}
