"""`tensorflow.contrib.tensorboard.plugins.projector`: TF 1.x's embedding projector API on
TensorBoard's own plugin (the protos are TensorBoard's; only the writer moved)."""
import os

from tensorboard.plugins.projector import projector_config_pb2
from google.protobuf import text_format

ProjectorConfig = projector_config_pb2.ProjectorConfig
EmbeddingInfo = projector_config_pb2.EmbeddingInfo
SpriteMetadata = projector_config_pb2.SpriteMetadata

CONFIG_FILE = 'projector_config.pbtxt'


def visualize_embeddings(summary_writer, config):
    """Write `config` where TensorBoard's projector looks: the writer's log directory.

    As in TF 1.x, `summary_writer` is a tf.summary.FileWriter (a directory path is
    accepted too, as TensorBoard's newer API takes)."""
    logdir = summary_writer if isinstance(summary_writer, str) else summary_writer.get_logdir()
    os.makedirs(logdir, exist_ok=True)
    with open(os.path.join(logdir, CONFIG_FILE), 'w') as f:
        f.write(text_format.MessageToString(config))
