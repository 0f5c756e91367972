"""tf.contrib.slim.nets as TF 1.15 had it: the classic ImageNet networks written in slim,
under the variable names of the checkpoints published for them, so a TF 1.x fine-tuning
script restores `vgg_16.ckpt`, `resnet_v1_50.ckpt` or `inception_v3.ckpt` as it did:
alexnet (alexnet_v2), overfeat, vgg (vgg_a, vgg_16, vgg_19), resnet_v1 and resnet_v2 (50,
101, 152, 200 layers) with resnet_utils, inception (Inception v1, v2 and v3)."""
from tf1.slim.nets import (alexnet, inception, inception_v1, inception_v2, inception_v3,
                           overfeat, resnet_utils, resnet_v1, resnet_v2, vgg)

__all__ = ['alexnet', 'inception', 'inception_v1', 'inception_v2', 'inception_v3', 'overfeat',
           'resnet_utils', 'resnet_v1', 'resnet_v2', 'vgg']
