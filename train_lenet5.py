"""Train LeNet-5 (32×32 padded input, average pooling, 120/84 fully connected), the TF1 way.

    python train_lenet5.py --data_dir ../shared/mnist

The original ran Adam 1e-3 at batch 64 for 5 epochs (about 4,300 steps). The defaults
here add a cosine decay and digits distorted like handwriting and drawings (--augment
affine,elastic,strokes,lowres) and run 45,000 steps (52 epochs), chosen on the validation
split (docs/training.md). For the original schedule:
--lr_schedule constant --max_steps 4300 --no-augment
"""
from graphs import lenet5, training


def main():
    parser = training.make_parser('lenet5', __doc__, max_steps=45000, batch_size=64,
                                  learning_rate=1e-3, lr_schedule='cosine',
                                  augment='affine,elastic,strokes,lowres')
    flags = parser.parse_args()
    training.run(flags, 'lenet5', lenet5.features)


if __name__ == '__main__':
    main()
