"""--precision: bf16 compute where the CPU has it and the model gains, float32 everywhere
else; variables and checkpoints stay float32 whatever runs."""
import json
import os

import pytest

from conftest import ROOT, train
from graphs import precision

CPUINFO_BF16 = 'processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16 amx_tile\n'
CPUINFO_PLAIN = 'processor\t: 0\nflags\t\t: fpu sse avx2 avx512f\n'


@pytest.fixture
def cpuinfo(tmp_path):
    def write(text):
        path = tmp_path / 'cpuinfo'
        path.write_text(text)
        return str(path)
    return write


@pytest.mark.parametrize('requested, gains, expected', [
    ('auto', True, 'bf16'), ('auto', False, 'fp32'), ('bf16', False, 'bf16'),
    ('fp32', True, 'fp32')])
def test_resolve_on_a_cpu_with_bf16(cpuinfo, requested, gains, expected):
    chosen, note = precision.resolve(requested, gains, cpuinfo(CPUINFO_BF16))
    assert chosen == expected and note.startswith('Precision: ' + expected)


@pytest.mark.parametrize('requested', ['auto', 'bf16'])
def test_a_cpu_without_bf16_falls_back_to_fp32_saying_why(cpuinfo, requested):
    chosen, note = precision.resolve(requested, True, cpuinfo(CPUINFO_PLAIN))
    assert chosen == 'fp32'
    assert 'no native bfloat16 instructions' in note and '\n' not in note
    assert precision.resolve(requested, True, '/nonexistent/cpuinfo')[0] == 'fp32'


def test_apply_turns_the_rewrite_on_only_for_bf16():
    import tensorflow.compat.v1 as tf
    on = precision.apply(tf.ConfigProto(), 'bf16').graph_options.rewrite_options
    off = precision.apply(tf.ConfigProto(), 'fp32').graph_options.rewrite_options
    assert on.auto_mixed_precision_onednn_bfloat16 == on.ON
    assert off.auto_mixed_precision_onednn_bfloat16 == off.DEFAULT


@pytest.mark.skipif(not precision.cpu_has_bf16(), reason='this CPU has no bfloat16 instructions')
def test_bf16_training_saves_float32_variables_that_restore_by_contract(tiny_mnist, tmp_path):
    out, model_dir = train('train_cnn.py', tiny_mnist, str(tmp_path), '--max_steps', '30',
                           '--precision', 'bf16', '--seed', '1')
    assert 'Precision: bf16' in out
    with open(os.path.join(model_dir, 'model.json')) as f:
        assert json.load(f)['precision'] == 'bf16'
    from conftest import run_script
    check = run_script('-c', '''
import sys, numpy as np, tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
ckpt = tf.train.latest_checkpoint(sys.argv[1])
reader = tf.train.load_checkpoint(ckpt)
dtypes = set(reader.get_variable_to_dtype_map().values())
sess = tf.Session()
tf.train.import_meta_graph(ckpt + '.meta').restore(sess, ckpt)
p = sess.run('output/probabilities:0', {'input/inputData:0': np.zeros((2, 784), np.float32)})
print(sorted(d.name for d in dtypes), p.dtype, p.shape, bool(np.allclose(p.sum(1), 1, atol=1e-5)))
''', model_dir, cwd=ROOT)
    assert check.stdout.strip().splitlines()[-1] == "['float32', 'int64'] float32 (2, 10) True"
