"""Value types for command-line flags (argparse `type=`): each refuses a bad value with
one line saying what it must be. Without TensorFlow, so that any command can use them."""
import argparse


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, but a bad flag is one line on stderr (argparse prints its whole
    usage first, which buries the line that says what is wrong); exit status 2 as before."""

    def error(self, message):
        self.exit(2, '%s: error: %s (%s --help lists the flags)\n' % (self.prog, message,
                                                                       self.prog))


def positive_int(text):
    value = _parse(int, text)
    if value <= 0:
        raise argparse.ArgumentTypeError('must be a positive integer, got %s' % text)
    return value


def non_negative_int(text):
    value = _parse(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError('must be 0 or more, got %s' % text)
    return value


def inter_op_thread_count(text):
    value = _parse(int, text)
    if value < -1:
        raise argparse.ArgumentTypeError(
            'must be -1 (the calling thread), 0 (TensorFlow chooses) or more, got %s' % text)
    return value


def positive_float(text):
    value = _parse(float, text)
    if not 0 < value < float('inf'):
        raise argparse.ArgumentTypeError('must be a positive number, got %s' % text)
    return value


def probability(text):
    value = _parse(float, text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError('must be in (0, 1], got %s' % text)
    return value


def port(text):
    value = _parse(int, text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError('must be a port number, 0 to 65535, got %s' % text)
    return value


def non_negative_float(text):
    value = _parse(float, text)
    if not 0 <= value < float('inf'):
        raise argparse.ArgumentTypeError('must be 0 or more, got %s' % text)
    return value


def _parse(kind, text):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not a valid %s' % (text, kind.__name__))
