"""A client that knows nothing but the tensor-name contract: it restores a model
directory's latest checkpoint with a plain import_meta_graph and runs every contract
tensor. Imported by tests, or run in a fresh process:

    python tests/contract_client.py MODEL_DIR IMAGES.npy     # prints the answer as JSON
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

CONTRACT = {'input': 'input/inputData:0', 'labels': 'input/inputLabel:0',
            'keep_prob': 'dropout/keep_prob:0', 'logits': 'layerOutput/activation:0',
            'probabilities': 'output/probabilities:0', 'prediction': 'output/prediction:0',
            'accuracy': 'accuracy/accuracy/rate:0'}


def answer(model_dir, images):
    """What the model in `model_dir` says about `images` [N, 784] (all labelled 0), and
    what its graph and checkpoint hold, as plain Python values."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        tf.train.import_meta_graph(checkpoint + '.meta').restore(sess, checkpoint)
        tensors = {key: graph.get_tensor_by_name(name) for key, name in CONTRACT.items()}
        outputs = ('logits', 'probabilities', 'prediction', 'accuracy')
        values = sess.run([tensors[key] for key in outputs], {
            tensors['input']: images, tensors['labels']: np.eye(10)[np.zeros(len(images), int)]})
        result = {key: np.asarray(value).tolist() for key, value in zip(outputs, values)}
        result.update(
            input=[tensors['input'].dtype.name, tensors['input'].shape.as_list()],
            keep_prob=[tensors['keep_prob'].op.type, float(sess.run(tensors['keep_prob']))],
            prediction_dtype=tensors['prediction'].dtype.name,
            ops=sorted({op.type for op in graph.get_operations()}),
            variables=sorted(name for name, _ in tf.train.list_variables(checkpoint)))
    return result


if __name__ == '__main__':
    tf.disable_v2_behavior()
    print(json.dumps(answer(sys.argv[1], np.load(sys.argv[2]))))
