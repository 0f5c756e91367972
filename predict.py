"""Predict digits with any saved model, restoring it by tensor name alone.

This is the original app's predict script, for today's TensorFlow: it imports nothing
from this project — only the checkpoint, its meta-graph and the tensor-name contract —
so it works the same for every model and for any client you write yourself.

    python predict.py --model_dir model/nn --input digits.json
    echo '[0, 0, 1, ...784 values...]' | python predict.py --model_dir model/cnn

The input is JSON: one image (784 numbers, ink = 1, background = 0) or a list of them,
also as the predict server's bodies ({"image": [...]}, {"instances": [...]}); a .npy
file of shape [N, 784] works too. Values in 0..255 are read as the server reads them (any
value above 1, or a uint8 array). Prints one JSON line per image.
"""
import argparse
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


# The first bytes of picture files, which are no list of pixels.
PICTURE_FORMATS = {b'\x89PNG': 'a PNG picture', b'\xff\xd8\xff': 'a JPEG picture',
                   b'GIF8': 'a GIF picture', b'BM': 'a BMP picture'}


def load_images(path):
    """Read images from a .npy or JSON file ('-' for standard input) as float32 [N, 784]
    in 0..1."""
    if path.endswith('.npy'):
        images = np.load(path)
    else:
        data = sys.stdin.buffer.read() if path == '-' else open(path, 'rb').read()
        kind = next((kind for magic, kind in PICTURE_FORMATS.items()
                     if data.startswith(magic)), None)
        if kind:
            raise ValueError('%s is %s: give the pixels, 784 numbers per image, as JSON or '
                             '.npy (the drawing page and the predict server take drawings)'
                             % (path, kind))
        try:
            images = json.loads(data)
        except ValueError as error:  # also UnicodeDecodeError: binary data
            raise ValueError('%s is not JSON (%s)' % (path, error))
        if isinstance(images, dict):  # the predict server's bodies
            images = images.get('image', images.get('instances', {}))
        try:
            images = np.asarray(images, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError('expected 784 numbers per image, or a list of such images')
    if images.size == 0 or images.size % 784:
        raise ValueError('expected 784 values per image, got %d values' % images.size)
    if images.dtype == np.uint8 or images.max() > 1:  # 0..255, as the server reads it
        images = images / 255.0
    if not np.isfinite(images).all() or images.min() < 0 or images.max() > 1:
        raise ValueError('pixel values must be finite numbers in 0..1 or 0..255')
    return images.reshape(-1, 784).astype(np.float32)


def restore(model_dir):
    """Restore the latest checkpoint in `model_dir` into a new session, by the contract."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    if checkpoint is None:
        raise ValueError('no checkpoint in %s (train one with train_*.py)' % model_dir)
    graph = tf.Graph()
    sess = tf.Session(graph=graph)
    with graph.as_default():
        saver = tf.train.import_meta_graph(checkpoint + '.meta')
        try:
            saver.restore(sess, checkpoint)
        except tf.errors.OpError as error:
            # TensorFlow's message ends with what went wrong, after a trace of graph nodes.
            reason = [line for line in error.message.splitlines()
                      if line.strip() and not line.strip().startswith('[[')][-1]
            raise ValueError('cannot restore %s (%s): is the checkpoint damaged?' % (
                checkpoint, reason.strip()))
    return sess


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--model_dir', default='model/nn', help='a directory with a checkpoint')
    parser.add_argument('--input', default='-', help='JSON or .npy file; - reads stdin')
    flags = parser.parse_args()
    try:
        images = load_images(flags.input)
        sess = restore(flags.model_dir)
    except (OSError, ValueError, tf.errors.OpError) as error:
        sys.exit('error: %s' % str(error).strip().splitlines()[0])

    graph = sess.graph
    input_data = graph.get_tensor_by_name('input/inputData:0')
    keep_prob = graph.get_tensor_by_name('dropout/keep_prob:0')
    logits = graph.get_tensor_by_name('layerOutput/activation:0')
    probabilities = graph.get_tensor_by_name('output/probabilities:0')
    prediction = graph.get_tensor_by_name('output/prediction:0')
    results = sess.run([prediction, probabilities, logits],
                       feed_dict={input_data: images, keep_prob: 1.0})
    for digit, probs, raw in zip(*results):
        print(json.dumps({'prediction': int(digit), 'probabilities': probs.tolist(),
                          'logits': raw.tolist()}))


if __name__ == '__main__':
    main()
