"""Train the one-hidden-layer network of the original web-grid app, the TF1 way:
784 binarised pixels → hidden ReLU layer → dropout → 10 logits.

    python train_nn.py --data_dir ../shared/mnist

The original trained with plain gradient descent; the default here is Adam with a cosine
learning-rate decay over 40,000 steps of 100 images (about 73 epochs) of digits distorted
like handwriting and drawings (--augment affine,elastic,strokes,lowres), chosen on the
validation split (docs/training.md). For the original's optimiser and data:
--optimizer sgd --lr_schedule constant --learning_rate 0.5 --no-augment
"""
from graphs import nn, training


def main():
    parser = training.make_parser('nn', __doc__, max_steps=40000, batch_size=100,
                                  learning_rate=1e-3, lr_schedule='cosine', keep_prob=0.5,
                                  augment='affine,elastic,strokes,lowres')
    parser.add_argument('--hidden_units', type=training.positive_int,
                        default=nn.DEFAULT_HIDDEN_UNITS, help='units in the hidden layer')
    flags = parser.parse_args()

    def features(images, keep_prob):
        return nn.features(images, keep_prob, flags.hidden_units)

    training.run(flags, 'nn', features, hparams=[('hidden units', flags.hidden_units),
                                                 ('dropout keep', flags.keep_prob)])


if __name__ == '__main__':
    main()
