"""The predict server against an older commit of itself, side by side in one run: issue
17's speed targets.

    git worktree add /tmp/old11 11cd6c9 && ln -s "$PWD/.venv" /tmp/old11/.venv
    python bench/serving_speed.py --old_tree /tmp/old11 [--quick] [--model_dir model]
                                  [--rounds 5] [--requests 200] [--clients 8]
                                  [--load_requests 100] [--flags='--precision fp32']

Both servers (`python predict_server.py` of this checkout and of --old_tree) serve the
same seven models from --model_dir (those missing are trained for 50 steps first), on
127.0.0.1, at the same time. In each round, in turn for each server: one client sends
--requests POST /predict for all models on a keep-alive connection, one after the other;
then --clients clients send --load_requests each at once (bench/load.py's clients). The
bodies are real MNIST test digits as bare arrays of 784 values (server-side normalisation
on). Every answer is checked: status 200 and each model's digit the same as that
server's answer for the body alone; anything else is an error. Rounds interleave the two
servers, so load from elsewhere hits both alike (bench/harness.py).

Targets (issue 17): 1-client p50 ≤ 0.6× the old server's; --clients-client throughput
≥ 3× the old server's, with p99 ≤ 50 ms; no errors.
"""
import argparse
import os
import threading

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

from load import lone_answers, run_load, test_digits
from server_process import Server

P50_RATIO_TARGET = 0.6
THROUGHPUT_RATIO_TARGET = 3.0
P99_TARGET_MS = 50


def one_round(server, bodies, expected, flags):
    """(1-client latencies, loaded latencies, loaded requests/s, errors, the server's CPU
    seconds per loaded request) of one round."""
    alone = argparse.Namespace(clients=1, warmup=2, requests=flags.requests)
    loaded = argparse.Namespace(clients=flags.clients, warmup=2, requests=flags.load_requests)
    clients, _ = run_load(server, bodies, expected, alone)
    single = clients[0].latencies
    cpu_before = harness.cpu_seconds(server.process.pid)
    clients, seconds = run_load(server, bodies, expected, loaded)
    cpu = harness.cpu_seconds(server.process.pid) - cpu_before
    latencies = [t for client in clients for t in client.latencies]
    errors = [error for client in clients for error in client.errors]
    return single, latencies, len(latencies) / seconds, errors, cpu / max(len(latencies), 1)


def main():
    parser = harness.parser(__doc__, checkpoints=True,
                            quick=dict(rounds=1, requests=20, load_requests=10))
    parser.add_argument('--old_tree', required=True,
                        help='a checkout of the older commit (its predict_server.py runs)')
    parser.add_argument('--rounds', type=int, default=5, help='timed rounds per server')
    parser.add_argument('--requests', type=int, default=200,
                        help='1-client requests per round')
    parser.add_argument('--clients', type=int, default=8, help='concurrent clients')
    parser.add_argument('--load_requests', type=int, default=100,
                        help='requests per concurrent client per round')
    parser.add_argument('--digits', type=int, default=32, help='distinct test digits sent')
    parser.add_argument('--flags', default='', help="this checkout's server's extra flags")
    flags = parser.parse_args()
    if not os.path.exists(os.path.join(flags.old_tree, 'predict_server.py')):
        parser.error('no predict_server.py in --old_tree %s' % flags.old_tree)

    bodies, _ = test_digits(flags.data_dir, flags.digits)
    parent, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    report = harness.Report('serving_speed', flags)  # waits for a quiet machine
    servers = {'old': Server(parent, root=os.path.abspath(flags.old_tree)),
               'new': Server(parent, *flags.flags.split())}
    results = {name: {'single': [], 'loaded': [], 'rates': [], 'errors': [], 'cpu': []}
               for name in servers}
    try:
        expected = {}
        for name, server in servers.items():
            server.first_answer(bodies[0])
            report.cpu.watch(server.process.pid)
            expected[name] = lone_answers(server, bodies)
        lock = threading.Lock()

        def round_of(name):
            def run_round():
                single, loaded, rate, errors, cpu = one_round(servers[name], bodies,
                                                              expected[name], flags)
                with lock:
                    result = results[name]
                    result['single'] += single
                    result['loaded'] += loaded
                    result['rates'].append(rate)
                    result['errors'] += errors
                    result['cpu'].append(cpu)
            return run_round
        harness.interleaved({name: round_of(name) for name in servers}, flags.rounds,
                            [server.process.pid for server in servers.values()])
        for server in servers.values():
            report.cpu.unwatch(server.process.pid)
    finally:
        for server in servers.values():
            server.stop()

    rows, figures = [], {}
    for name, result in results.items():
        figures[name] = (harness.percentile(result['single'], 50) * 1000,
                         harness.median(result['rates']),
                         harness.percentile(result['loaded'], 99) * 1000,
                         len(result['errors']), harness.median(result['cpu']) * 1000)
        rows.append([name, harness.percentile(result['single'], 50) * 1000,
                     harness.percentile(result['single'], 95) * 1000, figures[name][1],
                     harness.percentile(result['loaded'], 50) * 1000, figures[name][2],
                     figures[name][4], figures[name][3]])
    (old_p50, old_rate, _, _, old_cpu), (new_p50, new_rate, new_p99, _, new_cpu) = (
        figures['old'], figures['new'])
    errors = sum(figure[3] for figure in figures.values())
    rows.append(['new ÷ old', new_p50 / old_p50, '', new_rate / old_rate, '', '',
                 new_cpu / old_cpu, ''])
    met = lambda ok: 'met' if ok else 'MISSED'  # noqa: E731
    report.raw.update({name: {'single_s': r['single'], 'loaded_s': r['loaded'],
                              'rates': r['rates'], 'cpu_s_per_request': r['cpu'],
                              'errors': r['errors'][:50]}
                       for name, r in results.items()})
    report.raw['tiny_checkpoints'] = tiny
    report.table(
        'POST /predict, all %d models: this checkout against %s' % (
            len(flags.models), flags.old_tree),
        ['server', '1 client p50 ms', '1 client p95 ms',
         '%d clients requests/s' % flags.clients, '%d clients p50 ms' % flags.clients,
         '%d clients p99 ms' % flags.clients,
         'server CPU ms per request, %d clients' % flags.clients, 'errors'], rows,
        notes=['Targets: 1-client p50 ≤ %.1f× old: %s (%.2f×); %d-client throughput ≥ %g× '
               'old: %s (%.2f×); p99 ≤ %d ms: %s (%.1f ms); no errors: %s (%d).' % (
                   P50_RATIO_TARGET, met(new_p50 <= P50_RATIO_TARGET * old_p50),
                   new_p50 / old_p50, flags.clients, THROUGHPUT_RATIO_TARGET,
                   met(new_rate >= THROUGHPUT_RATIO_TARGET * old_rate), new_rate / old_rate,
                   P99_TARGET_MS, met(new_p99 <= P99_TARGET_MS), new_p99, met(not errors),
                   errors),
               '%d rounds, servers in turn; a round: 1 client × %d requests, then %d clients '
               '× %d requests at once (requests/s: median over rounds).%s' % (
                   flags.rounds, flags.requests, flags.clients, flags.load_requests,
                   ' New server flags: %s.' % flags.flags if flags.flags else ''),
               "Server CPU: the server process's user + system time (all its threads) while "
               'the %d clients ran, per request answered (median over rounds).' % flags.clients,
               'Models: %s%s. Clients are threads of the benchmark process, on the same '
               'cores as both servers (the one not measured idles).' % (
                   ', '.join(flags.models), ' (%s: 50-step checkpoints)' % ', '.join(tiny)
                   if tiny else '')])
    report.finish()


if __name__ == '__main__':
    main()
