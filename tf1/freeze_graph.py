"""tensorflow.python.tools.freeze_graph's functions as TF 1.x code called them: TF 2.4
renamed their `variable_names_blacklist` argument `variable_names_denylist`, so TF 1.x's
keyword (Mozilla DeepSpeech's export) was refused as unexpected. Same positions, same
meaning (tf1/api_internals.py maps them there)."""
import functools

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
