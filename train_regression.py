"""Train softmax regression on MNIST ("MNIST for ML Beginners"), the TF1 way.

    python train_regression.py --data_dir ../shared/mnist

Defaults are the original tutorial's plain gradient descent, learning rate 0.5, batch
100, but 20,000 steps (about 36 epochs) with a cosine decay instead of 1,000 at a constant
rate, chosen on the validation split (docs/training.md). For the original:
--max_steps 1000 --lr_schedule constant
"""
from graphs import regression, training


def main():
    # A step is one chain of tiny ops (a 784x10 matmul and its gradient): run them in the
    # calling thread. Handed to inter-op pool threads they wait on the hand-over, and
    # more when a pool thread shares a core with Python's (bench/README.md, "Training
    # throughput").
    parser = training.make_parser('regression', __doc__, max_steps=20000, batch_size=100,
                                  learning_rate=0.5, optimizer='sgd', lr_schedule='cosine', inter_op_threads=-1)
    flags = parser.parse_args()
    training.run(flags, 'regression', regression.features)


if __name__ == '__main__':
    main()
