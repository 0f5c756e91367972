"""One-line error messages, shared by every command and the server (no TensorFlow)."""


def one_line(error):
    """The line of an exception's message that says what went wrong.

    Python's messages begin with it. TensorFlow's runtime errors (OpError) end with it,
    after a trace of graph nodes ('[[...]]' lines), so for them it is the last line."""
    lines = [line.strip() for line in str(getattr(error, 'message', error)).splitlines()
             if line.strip() and not line.strip().startswith('[[')]
    if not lines:
        return type(error).__name__
    is_op_error = hasattr(error, 'error_code') and type(error).__module__.startswith('tensorflow')
    return lines[-1] if is_op_error else lines[0]
