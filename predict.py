"""Predict digits with any saved model, restoring it by tensor name alone.

This is the original app's predict script, for today's TensorFlow: it imports nothing
from this project — only the checkpoint, its meta-graph and the tensor-name contract —
so it works the same for every model and for any client you write yourself.

    python predict.py --model_dir model/nn --input digits.json
    echo '[0, 0, 1, ...784 values...]' | python predict.py --model_dir model/cnn

The input is JSON: one image (784 numbers, ink = 1, background = 0) or a list of them;
a .npy file of shape [N, 784] works too. Prints one JSON line per image.
"""
import argparse
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def load_images(path):
    """Read images from a .npy or JSON file ('-' for standard input) as float32 [N, 784]."""
    if path.endswith('.npy'):
        images = np.load(path)
    else:
        text = sys.stdin.read() if path == '-' else open(path).read()
        images = np.asarray(json.loads(text), dtype=np.float32)
    images = images.reshape(-1, 784) if images.size % 784 == 0 else None
    if images is None:
        raise ValueError('expected 784 values per image')
    return images.astype(np.float32)


def restore(model_dir):
    """Restore the latest checkpoint in `model_dir` into a new session, by the contract."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    if checkpoint is None:
        raise ValueError('no checkpoint in %s (train one with train_*.py)' % model_dir)
    graph = tf.Graph()
    sess = tf.Session(graph=graph)
    with graph.as_default():
        saver = tf.train.import_meta_graph(checkpoint + '.meta')
        saver.restore(sess, checkpoint)
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
