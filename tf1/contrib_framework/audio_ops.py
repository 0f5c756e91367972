"""contrib.framework's audio ops (`from tensorflow.contrib.framework.python.ops import
audio_ops as contrib_audio`, as TF 1.x's speech_commands example imports them): WAV decoding
and encoding, the spectrogram and MFCCs. TensorFlow still has the ops, with TF 1.x's
signatures, in its generated audio ops."""
from tensorflow.python.ops.gen_audio_ops import audio_spectrogram, decode_wav, encode_wav, mfcc

__all__ = ['audio_spectrogram', 'decode_wav', 'encode_wav', 'mfcc']
