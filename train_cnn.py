"""Train the "Deep MNIST for Experts" CNN (mnist_deep.py), the TF1 way.

    python train_cnn.py --data_dir ../shared/mnist

The tutorial ran Adam 1e-4 at batch 50 for 20,000 steps (about 18 epochs). The defaults
here, within 10 minutes on 2 cores with bfloat16: Adam 1e-3 with a cosine decay at batch
100 for 12,000 steps (about 22 epochs) of digits distorted like handwriting and drawings
(affine, elastic, strokes, lowres, chosen on the validation split; docs/training.md), in
bfloat16 where the CPU has it. For the original schedule: --learning_rate 1e-4
--lr_schedule constant --batch_size 50 --max_steps 20000 --no-augment
"""
from graphs import cnn, training


def main():
    parser = training.make_parser('cnn', __doc__, max_steps=12000, batch_size=100,
                                  learning_rate=1e-3, lr_schedule='cosine', keep_prob=0.5,
                                  augment='affine,elastic,strokes,lowres',
                                  bf16_gains=True)
    flags = parser.parse_args()
    training.run(flags, 'cnn', cnn.features, hparams=[('dropout keep', flags.keep_prob)])


if __name__ == '__main__':
    main()
