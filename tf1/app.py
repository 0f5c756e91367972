"""tf.app.run as TF 1.0-1.13 ran it. TF 2.21's (absl's app.run) parses the script's flags,
calls main(argv) and exits with its return value, as TF 1.x's did, but it also puts
absl's log handler on the root logger and the root logger at INFO, so that TF's own
handler and absl's both print every tf.logging line ("INFO:tensorflow:..." and
"I1204 ... script.py:12] ..."), INFO lines included. TF 1.x before 1.14 had no absl:
each line printed once, in TF's format, from WARN up unless the script set_verbosity."""
import logging
import sys

import tensorflow.compat.v1 as tf
from absl import logging as absl_logging

from tf1 import flags as flags_module


def run(main=None, argv=None):
    """Run main(argv) with the script's flags parsed; its return value is the exit status."""
    main = main or sys.modules['__main__'].main
    tensorflow_logger = tf.get_logger()  # TF's handler, made while the root logger has none

    def main_logging_once(argv):
        if tensorflow_logger.handlers:
            logging.getLogger().removeHandler(absl_logging.get_absl_handler())
        if tensorflow_logger.level == logging.NOTSET:  # not the root's INFO: TF 1.x's WARN
            tensorflow_logger.setLevel(logging.WARNING)
        return main(argv)
    argv = list(sys.argv if argv is None else argv)
    # FLAGS as the script sees it now: a TF 1.0-1.4 script may have replaced it.
    argv = argv[:1] + flags_module.NAMESPACE.FLAGS._parse_flags(argv[1:])
    tf.app.run(main_logging_once, argv)
