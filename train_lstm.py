"""Train an LSTM that reads the image as 28 rows of 28 pixels, the TF1 way.

    python train_lstm.py --data_dir ../shared/mnist

The original ran Adam (learning rate 1e-3) at batch 128 for 5,000 steps. The defaults here
add a cosine decay and digits distorted like handwriting and drawings (--augment
affine,elastic,strokes,lowres; docs/training.md) and run 30,000 steps (about 70 epochs).
For the original schedule:
--lr_schedule constant --max_steps 5000 --no-augment
"""
from graphs import lstm, training


def main():
    parser = training.make_parser('lstm', __doc__, max_steps=30000, batch_size=128,
                                  learning_rate=1e-3, lr_schedule='cosine',
                                  augment='affine,elastic,strokes,lowres',
                                  intra_op_threads=training.lstm_intra_op_threads())
    parser.add_argument('--num_units', type=training.positive_int, default=lstm.DEFAULT_UNITS,
                        help='LSTM units')
    flags = parser.parse_args()

    def features(images, keep_prob):
        return lstm.features(images, keep_prob, flags.num_units)

    training.run(flags, 'lstm', features, hparams=[('units', flags.num_units)])


if __name__ == '__main__':
    main()
