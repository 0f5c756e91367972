"""TF 1.x's TPUClusterResolver (tf.contrib.cluster_resolver's, tf.distribute.cluster_resolver's)
for the names that meant no Cloud TPU: '' and 'local' (the local environment, which TF 1.x
called "google"), 'localhost:…', '/bns/…', 'uptc://…', and 'grpc://HOST:PORT'. TF 1.15 then
asked Google Cloud nothing and passed the name on as the session master: scripts built for
TPUs run on a CPU that way, `--tpu=''` with TPUEstimator(use_tpu=False) (tensorflow/tpu's
mnist_tpu.py). TensorFlow 2.21's resolver refuses '' ("Please provide a TPU Name"); a Cloud
TPU's name still goes to it. No name means GKE's endpoints or TPU_NAME, as in TF 1.15; none
there either, TensorFlow 2.21's resolver (which also looks for a TPU VM). Ported from TF
1.15's tensorflow/python/distribute/cluster_resolver/tpu_cluster_resolver.py, those paths."""
import os

from tensorflow.python.distribute.cluster_resolver import cluster_resolver
from tensorflow.python.distribute.cluster_resolver.tpu import tpu_cluster_resolver
from tensorflow.python.framework import ops
from tensorflow.python.training import server_lib
from tensorflow.python.util import compat

_LOCAL_NAMES = ('', 'local')
_LOCAL_PREFIXES = ('localhost:', '/bns', 'uptc://')
_GRPC = 'grpc://'
_ENDPOINTS_SEPARATOR = ','
_GKE_ENDPOINTS = 'KUBE_GOOGLE_CLOUD_TPU_ENDPOINTS'


def _named_tpu(tpu):
    """The TPU's name as TF 1.15 read it: one of a list of one, GKE's endpoints or TPU_NAME
    when None, text when bytes."""
    if isinstance(tpu, list):
        if not tpu:
            raise ValueError('At least one TPU must be specified.')
        if len(tpu) != 1:
            raise NotImplementedError(
                'Using multiple TPUs in a single session is not yet implemented')
        tpu = tpu[0]
    if tpu is None:
        tpu = os.environ.get(_GKE_ENDPOINTS if _GKE_ENDPOINTS in os.environ else 'TPU_NAME')
    return compat.as_text(tpu) if isinstance(tpu, bytes) else tpu


def _names_no_cloud_tpu(tpu):
    return isinstance(tpu, str) and (tpu in _LOCAL_NAMES or tpu.startswith(_LOCAL_PREFIXES) or
                                     tpu.startswith(_GRPC))


class TPUClusterResolver(tpu_cluster_resolver.TPUClusterResolver):
    """Resolves nothing for a name that is no Cloud TPU's (TF 1.15's non-resolving paths);
    TensorFlow 2.21's Cloud TPU resolver for any other."""

    def __init__(self, tpu=None, zone=None, project=None, job_name='worker',
                 coordinator_name=None, coordinator_address=None, credentials='default',
                 service=None, discovery_url=None):
        tpu = _named_tpu(tpu)
        self._resolves_nothing = _names_no_cloud_tpu(tpu)
        if not self._resolves_nothing:
            super(TPUClusterResolver, self).__init__(
                tpu, zone, project, job_name, coordinator_name, coordinator_address,
                credentials, service, discovery_url)
            return
        self.task_type, self.task_id = job_name, 0
        if tpu.startswith(_GRPC):  # the protocol comes back in master()
            self._tpu, self._environment, self.rpc_layer = tpu[len(_GRPC):], '', 'grpc'
        else:
            self._tpu, self._environment, self.rpc_layer = tpu, 'google', None
        self._zone, self._project = zone, project
        self._coordinator_name, self._coordinator_address = (coordinator_name,
                                                             coordinator_address)
        self._tpu_topology = None  # what TensorFlow 2.21's tpu_hardware_feature reads

    def __enter__(self):  # TensorFlow 2.21's holds its Cloud TPU client open
        if not self._resolves_nothing:
            super(TPUClusterResolver, self).__enter__()

    def __exit__(self, *exception):
        if not self._resolves_nothing:
            super(TPUClusterResolver, self).__exit__(*exception)

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        """The session master: the name given (its first endpoint), '' for ''."""
        if not self._resolves_nothing:
            return super(TPUClusterResolver, self).master(task_type, task_id, rpc_layer)
        master = self._tpu.split(_ENDPOINTS_SEPARATOR)[0]
        return cluster_resolver.format_master_url(master, rpc_layer or self.rpc_layer)

    def get_job_name(self):
        if not self._resolves_nothing:
            return super(TPUClusterResolver, self).get_job_name()
        return self.task_type if ops.executing_eagerly_outside_functions() else None

    def cluster_spec(self):
        """None in the local environment (graph mode), else the endpoints as one job."""
        if not self._resolves_nothing:
            return super(TPUClusterResolver, self).cluster_spec()
        if self.rpc_layer is None and not ops.executing_eagerly_outside_functions():
            return None
        spec = {self.task_type: [endpoint[len(_GRPC):] if endpoint.startswith(_GRPC)
                                 else endpoint
                                 for endpoint in self._tpu.split(_ENDPOINTS_SEPARATOR)]}
        if self._coordinator_address:
            spec[self._coordinator_name] = [self._coordinator_address]
        return server_lib.ClusterSpec(spec)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        """{'TPU': cores per host} of the master's devices: {'TPU': 0} on a CPU."""
        if not self._resolves_nothing:
            return super(TPUClusterResolver, self).num_accelerators(task_type, task_id,
                                                                    config_proto)
        details = self._get_device_dict_and_cores(
            cluster_resolver.get_accelerator_devices(self.master(), config_proto))
        if not details.total_cores:
            return {'TPU': 0}
        return {'TPU': self._verify_and_return_same_core_count(details.device_map)}

    @property
    def environment(self):
        return self._environment if self._resolves_nothing else super(
            TPUClusterResolver, self).environment
