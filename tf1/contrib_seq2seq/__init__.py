"""tf.contrib.seq2seq as TF 1.15 had it (tensorflow/contrib/seq2seq/python/ops/), without
Keras: the decoder interface and its loop (decoder.py: Decoder, dynamic_decode), the
decoder most models use (basic_decoder.py: BasicDecoder, BasicDecoderOutput), the helpers
that feed it (helper.py: training, greedy and sampled inference, scheduled sampling,
custom), attention (attention_wrapper.py: AttentionWrapper; attention_mechanisms.py:
Luong's and Bahdanau's mechanisms; monotonic_attention.py: their monotonic forms), beam
search (beam_search_decoder.py: BeamSearchDecoder; beam_search_ops.py: tile_batch,
gather_tree) and sequence_loss (loss.py). Same scopes and variable names as TF 1.x, so
checkpoints move both ways."""
from tf1.contrib_seq2seq.attention_mechanisms import (AttentionMechanism, BahdanauAttention,
                                                      LuongAttention, hardmax)
from tf1.contrib_seq2seq.attention_wrapper import AttentionWrapper, AttentionWrapperState
from tf1.contrib_seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from tf1.contrib_seq2seq.beam_search_decoder import (BeamSearchDecoder, BeamSearchDecoderOutput,
                                                     BeamSearchDecoderState,
                                                     FinalBeamSearchDecoderOutput)
from tf1.contrib_seq2seq.beam_search_ops import gather_tree, tile_batch
from tf1.contrib_seq2seq.decoder import Decoder, dynamic_decode
from tf1.contrib_seq2seq.helper import (CustomHelper, GreedyEmbeddingHelper, Helper,
                                        InferenceHelper, SampleEmbeddingHelper,
                                        ScheduledEmbeddingTrainingHelper,
                                        ScheduledOutputTrainingHelper, TrainingHelper)
from tf1.contrib_seq2seq.loss import sequence_loss
from tf1.contrib_seq2seq.monotonic_attention import (BahdanauMonotonicAttention,
                                                     LuongMonotonicAttention,
                                                     monotonic_attention, safe_cumprod)

__all__ = ['AttentionMechanism', 'AttentionWrapper', 'AttentionWrapperState',
           'BahdanauAttention', 'BahdanauMonotonicAttention', 'BasicDecoder',
           'BasicDecoderOutput', 'BeamSearchDecoder', 'BeamSearchDecoderOutput',
           'BeamSearchDecoderState', 'CustomHelper', 'Decoder', 'FinalBeamSearchDecoderOutput',
           'GreedyEmbeddingHelper', 'Helper', 'InferenceHelper', 'LuongAttention',
           'LuongMonotonicAttention', 'SampleEmbeddingHelper',
           'ScheduledEmbeddingTrainingHelper', 'ScheduledOutputTrainingHelper',
           'TrainingHelper', 'dynamic_decode', 'gather_tree', 'hardmax', 'monotonic_attention',
           'safe_cumprod', 'sequence_loss', 'tile_batch']
