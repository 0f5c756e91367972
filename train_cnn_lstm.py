"""Train the CNN-LSTM of the original free-hand drawing app, the TF1 way.

    python train_cnn_lstm.py --data_dir ../shared/mnist

The original ran Adam 1e-4 at batch 50 for 20,000 steps. The defaults here: Adam 1e-3
with a cosine decay at batch 100 for 13,000 steps of digits distorted like handwriting and
drawings (--augment affine,elastic,strokes,lowres; docs/training.md; the time it takes:
the README's models table). For the original schedule:
--learning_rate 1e-4 --lr_schedule constant --batch_size 50 --max_steps 20000 --no-augment
"""
from graphs import cnn_lstm, training


def main():
    parser = training.make_parser('cnn_lstm', __doc__, max_steps=13000, batch_size=100,
                                  learning_rate=1e-3, lr_schedule='cosine',
                                  augment='affine,elastic,strokes,lowres',
                                  bf16_gains=True)
    parser.add_argument('--num_units', type=training.positive_int,
                        default=cnn_lstm.DEFAULT_UNITS, help='LSTM units')
    flags = parser.parse_args()

    def features(images, keep_prob):
        return cnn_lstm.features(images, keep_prob, flags.num_units)

    training.run(flags, 'cnn_lstm', features, hparams=[('units', flags.num_units)])


if __name__ == '__main__':
    main()
