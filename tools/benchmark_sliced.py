"""site.yml in stages with the workers as AWX job slices (docs/slicing.md),
against one unsliced run, on the sandbox.

    python3 tools/benchmark.py --sliced-only [--reruns N]

Two variants on fresh sandbox containers each, one after the other:
- unsliced: site.yml from no containers (the first install), then N re-runs;
- staged: the control_plane stage (limit localhost:all:!worker), the workers
  stage as two slices at once (inventory scripts made the way AWX makes a
  slice's inventory, molecule/common/awx_slices.py; limit localhost:worker),
  then a full run; the first install that way, then N more rounds of the
  three on the converged sandbox.
Every run has the task sizes set (a worker slice needs them, and both
variants then render the same files). Times are wall-clock per step; the
machine's load average is read before each round.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import benchmark_rerun

HERE = benchmark_rerun.HERE
INVENTORY = benchmark_rerun.INVENTORY
sys.path.insert(0, os.path.join(HERE, 'molecule', 'common'))
import awx_slices  # noqa: E402  (molecule/common is not a package)

OWN = os.path.join(HERE, '.cache', 'collections')
SITE = os.path.join(HERE, 'playbooks', 'site.yml')
TASK_SIZES = json.dumps({'hadoop_mapred_site': {'mapreduce.map.memory.mb': 1024, 'mapreduce.reduce.memory.mb': 1024,
                                                'yarn.app.mapreduce.am.resource.mb': 1024}})
SLICES = 2


def _start(inventory, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=OWN, ANSIBLE_STDOUT_CALLBACK='ansible.posix.json')
    argv = ['ansible-playbook', '-i', inventory, SITE, '-e', TASK_SIZES] + list(extra)
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=HERE)


def _finish(proc, what):
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit('%s failed:\n%s' % (what, (out + err)[-4000:]))
    return dict((host, stats.get('changed', 0)) for host, stats in json.loads(out)['stats'].items())


def _step(inventory, *extra):
    started = time.monotonic()
    changed = _finish(_start(inventory, *extra), ' '.join(extra) or 'site.yml')
    return time.monotonic() - started, changed


def _slices(directory):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=OWN)
    listing = subprocess.run(['ansible-inventory', '-i', INVENTORY, '--list', '--export'], capture_output=True,
                             text=True, env=env, cwd=HERE, check=True).stdout
    return awx_slices.slice_inventories(json.loads(listing, object_hook=awx_slices.unwrap), SLICES, directory)


def _staged_round(slices):
    """Seconds and {host: changed} of the three steps."""
    control = _step(INVENTORY, '--limit', 'localhost:all:!worker', '-e', 'hadoop_site_stage=control_plane')
    started = time.monotonic()
    procs = [_start(path, '--limit', 'localhost:worker', '-e', 'hadoop_site_stage=workers') for path, dummy in slices]
    changed = {}
    for proc, (dummy, members) in zip(procs, slices):
        changed.update(_finish(proc, 'slice %s' % ', '.join(members)))
    workers = (time.monotonic() - started, changed)
    full = _step(INVENTORY)
    return control, workers, full


def measure(reruns=3):
    result = {'unsliced': {}, 'staged': {}}
    benchmark_rerun._fresh_containers()
    result['unsliced']['first'] = _step(INVENTORY)
    result['unsliced']['reruns'] = []
    for dummy in range(reruns):
        load = os.getloadavg()[0]
        result['unsliced']['reruns'].append((load, _step(INVENTORY)))
    benchmark_rerun._fresh_containers()
    with tempfile.TemporaryDirectory() as directory:
        slices = _slices(directory)
        result['staged']['slices'] = [members for path, members in slices]
        result['staged']['first'] = _staged_round(slices)
        result['staged']['reruns'] = []
        for dummy in range(reruns):
            load = os.getloadavg()[0]
            result['staged']['reruns'].append((load, _staged_round(slices)))
    return result


def _changed(changed):
    return ', '.join('%s %d' % (host.split('.')[0], count) for host, count in sorted(changed.items()))


def section(result):
    unsliced, staged = result['unsliced'], result['staged']
    first_total = sum(step[0] for step in staged['first'])
    rerun_totals = [sum(step[0] for step in steps) for load, steps in staged['reruns']]
    lines = [
        '## Sliced runs', '',
        'Produced by `python3 tools/benchmark.py --sliced-only` (tools/benchmark_sliced.py): site.yml in stages '
        '([slicing.md](slicing.md)),',
        'the workers as %d AWX job slices at once (%s), against one unsliced run, each variant on fresh sandbox'
        % (SLICES, '; '.join(', '.join(h.split('.')[0] for h in members) for members in staged['slices'])),
        'containers; the task sizes set in both. The sandbox has two workers, so this shows the cost of the',
        'stages, not the gain of slicing, which comes from slices running on separate controllers of a large',
        'cluster.', '',
        '| Run | Control plane | Worker slices | Full run | Total | changed per host, full run |',
        '|---|---|---|---|---|---|',
        '| Unsliced first install | | | %.0f s | %.0f s | |' % (unsliced['first'][0], unsliced['first'][0]),
        '| Staged first install | %.0f s | %.0f s | %.0f s | %.0f s | %s |'
        % (staged['first'][0][0], staged['first'][1][0], staged['first'][2][0], first_total,
           _changed(staged['first'][2][1])),
        '| Unsliced re-run, median of %d | | | %.1f s | %.1f s | |'
        % (len(unsliced['reruns']), statistics.median(s[0] for load, s in unsliced['reruns']),
           statistics.median(s[0] for load, s in unsliced['reruns'])),
        '| Staged re-run, median of %d | %.1f s | %.1f s | %.1f s | %.1f s | %s |'
        % (len(staged['reruns']), statistics.median(s[0][0] for load, s in staged['reruns']),
           statistics.median(s[1][0] for load, s in staged['reruns']),
           statistics.median(s[2][0] for load, s in staged['reruns']), statistics.median(rerun_totals),
           _changed(staged['reruns'][-1][1][2][1])),
        '',
        'Load average (1 min) before each re-run: unsliced %s; staged %s. Changes in the worker slices of the'
        % (', '.join('%.1f' % load for load, s in unsliced['reruns']),
           ', '.join('%.1f' % load for load, s in staged['reruns'])),
        'staged re-runs: %s; in the unsliced re-runs: %s.'
        % (_changed(staged['reruns'][-1][1][1][1]), _changed(unsliced['reruns'][-1][1][1])), '',
    ]
    return lines
