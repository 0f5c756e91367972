"""The tensor-name contract and the image geometry, without TensorFlow.

Every saved model exposes these tensors by name (graphs/model.py builds them); the server,
the SavedModel export, the checkpoint importer, the benchmarks and the tests look them up
here. predict.py spells them out itself on purpose: it shows a client needs no project code.
"""

IMAGE_SIZE = 28                        # MNIST images are 28 x 28 ...
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE  # ... fed flattened: [None, 784]
NUM_CLASSES = 10

# Scopes and op names, as graphs/model.py creates them.
INPUT_SCOPE, INPUT_OP, LABEL_OP = 'input', 'inputData', 'inputLabel'
KEEP_PROB_SCOPE, KEEP_PROB_OP = 'dropout', 'keep_prob'
LOGITS_SCOPE = 'layerOutput'
OUTPUT_SCOPE, PROBABILITIES_OP, PREDICTION_OP = 'output', 'probabilities', 'prediction'

# The tensors, by the names clients use.
INPUT = 'input/inputData:0'                # float32 [None, 784], ink = 1, background = 0
LABELS = 'input/inputLabel:0'              # float32 [None, 10], one-hot
KEEP_PROB = 'dropout/keep_prob:0'          # float32 [], placeholder_with_default(1.0)
LOGITS = 'layerOutput/activation:0'        # float32 [None, 10]
PROBABILITIES = 'output/probabilities:0'   # float32 [None, 10], softmax
PREDICTION = 'output/prediction:0'         # int64 [None], argmax
ACCURACY = 'accuracy/accuracy/rate:0'      # float32 [], accuracy on the fed batch
CROSS_ENTROPY = 'loss/total/cross_entropy:0'  # float32 [], mean softmax cross entropy
