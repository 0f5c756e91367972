"""Train the CRNN (four convolutions read as a 21-step sequence by two LSTMs), the TF1 way.

    python train_crnn.py --data_dir ../shared/mnist

The original ran Adam (learning rate 1e-3) at batch 128 for 10 epochs (about 4,300
steps). The defaults here add a cosine decay and digits distorted like handwriting and
drawings (--augment affine,elastic,strokes,lowres; docs/training.md) and run 10,000 steps
(23 epochs), in bfloat16 where the CPU has it. For the original schedule:
--lr_schedule constant --max_steps 4300 --no-augment
"""
from graphs import crnn, training


def main():
    parser = training.make_parser('crnn', __doc__, max_steps=10000, batch_size=128,
                                  learning_rate=1e-3, lr_schedule='cosine',
                                  augment='affine,elastic,strokes,lowres',
                                  bf16_gains=True)
    parser.add_argument('--num_units', type=training.positive_int, default=crnn.DEFAULT_UNITS,
                        help='units of each LSTM')
    flags = parser.parse_args()

    def features(images, keep_prob):
        return crnn.features(images, keep_prob, flags.num_units)

    training.run(flags, 'crnn', features, hparams=[('units', flags.num_units)])


if __name__ == '__main__':
    main()
