"""tensorflow.python.tools.freeze_graph as TF 1.x code and scripts used it: TF 2.4 renamed
its functions' `variable_names_blacklist` argument `variable_names_denylist`, so TF 1.x's
keyword (Mozilla DeepSpeech's export) was refused as unexpected, and its command line's
`--variable_names_blacklist` flag as unknown. Same positions, same meaning
(tf1/api_internals.py maps the functions; `python -m tf1 -m
tensorflow.python.tools.freeze_graph` runs this module's command line)."""
import functools
import sys

from tensorflow.python.tools import freeze_graph as _freeze_graph


def _blacklist_taken(freeze):
    @functools.wraps(freeze)
    def wrapper(*args, variable_names_blacklist='', **kwargs):
        if variable_names_blacklist:
            if kwargs.get('variable_names_denylist'):
                raise TypeError('%s() got both variable_names_blacklist and '
                                'variable_names_denylist' % freeze.__name__)
            kwargs['variable_names_denylist'] = variable_names_blacklist
        return freeze(*args, **kwargs)
    return wrapper


freeze_graph = _blacklist_taken(_freeze_graph.freeze_graph)
freeze_graph_with_def_protos = _blacklist_taken(_freeze_graph.freeze_graph_with_def_protos)


def _denylist_flag(arg):
    """--variable_names_blacklist[=NAMES] as TF 2.4's --variable_names_denylist."""
    flag, equals, names = arg.partition('=')
    return '--variable_names_denylist' + equals + names if flag.lstrip('-') == (
        'variable_names_blacklist') else arg


if __name__ == '__main__':
    sys.argv[1:] = [_denylist_flag(arg) for arg in sys.argv[1:]]
    _freeze_graph.run_main()
