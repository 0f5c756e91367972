"""tensorflow.python.pywrap_tensorflow's functions TF 1.x code called that TF 2.x moved and
changed (tf1/api_internals.py maps them there)."""
from tensorflow.python.client import pywrap_tf_session


def EqualGraphDefWrapper(actual, expected):  # noqa: N802 (TF 1.x's name)
    """The difference of two serialized GraphDefs, empty where they are equal, as bytes:
    TF 1.x's SWIG wrapper returned bytes, which callers decoded (tensorflow/models'
    official test utilities); TF 2.x's, in pywrap_tf_session, returns str."""
    return pywrap_tf_session.EqualGraphDefWrapper(actual, expected).encode()
