"""The cost of a site.yml re-run on the converged sandbox, before and after.

    python3 tools/benchmark.py --rerun-only [--baseline REF] [--reruns N]

For each variant (the commit REF checked out in a temporary git worktree, then
this checkout), on fresh sandbox containers: site.yml from no containers
(the first run), then N re-runs, each timed, with its changed count and its
module calls per host. Both variants run the same inventory
(inventories/sandbox of this checkout) on identical containers, one after the
other, so they are measured under the same conditions; the machine's load
average is read before each re-run.

Module calls are counted from the json callback: every task result of a host
that ran a module on it (each loop item counts), leaving out the skipped
ones, the tasks delegated elsewhere and the actions that run on the
controller alone (set_fact, assert, include_*, ...). An action plugin that
runs several modules (template: stat, then copy when it differs) counts once.
"""
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY = os.path.join(HERE, 'inventories', 'sandbox')

# Actions that run on the controller and call no module on the host.
CONTROLLER_ACTIONS = frozenset(
    prefix + name
    for prefix in ('', 'ansible.builtin.', 'ansible.legacy.')
    for name in ('set_fact', 'assert', 'debug', 'fail', 'meta', 'add_host', 'group_by', 'include_vars',
                 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'validate_argument_spec',
                 'set_stats', 'pause'))


def module_calls(result):
    """{host: Counter({action: calls})} of one ansible-playbook run's json output."""
    calls = collections.defaultdict(collections.Counter)
    for play in result['plays']:
        for task in play['tasks']:
            for host, res in task['hosts'].items():
                action = res.get('action') or task['task'].get('action', '?')
                if action in CONTROLLER_ACTIONS or res.get('skipped') or res.get('_ansible_delegated_vars'):
                    continue
                if 'results' in res:
                    count = len([item for item in res['results'] if not item.get('skipped')])
                else:
                    count = 1
                if count:
                    calls[host][action] += count
    return calls


def _run(argv, cwd, collections_path, json_output=False):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path)
    if json_output:
        env['ANSIBLE_STDOUT_CALLBACK'] = 'ansible.posix.json'
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit('%s failed in %s:\n%s' % (' '.join(argv), cwd, (proc.stdout + proc.stderr)[-4000:]))
    return elapsed, (json.loads(proc.stdout) if json_output else None)


def _fresh_containers():
    every = json.dumps({'sandbox_nodes': [{'name': n} for n in ('master', 'worker1', 'worker2', 'worker3')]})
    own = os.path.join(HERE, '.cache', 'collections')
    _run(['ansible-playbook', 'tools/sandbox/containers_absent.yml', '-e', every], HERE, own)
    _run(['ansible-playbook', 'tools/sandbox/containers.yml'], HERE, own)


def _changed(result):
    return sum(stats.get('changed', 0) for host, stats in result['stats'].items())


def measure_variant(checkout, collections_path, reruns):
    """First-run time and the re-runs of one checkout on fresh containers."""
    _fresh_containers()
    site = os.path.join(checkout, 'playbooks', 'site.yml')
    first, _result = _run(['ansible-playbook', '-i', INVENTORY, site], checkout, collections_path)
    runs = []
    for _number in range(reruns):
        load = os.getloadavg()[0]
        elapsed, result = _run(['ansible-playbook', '-i', INVENTORY, site], checkout, collections_path,
                               json_output=True)
        calls = module_calls(result)
        runs.append({'seconds': elapsed, 'load': load, 'changed': _changed(result),
                     'calls': dict((host, sum(c.values())) for host, c in calls.items()),
                     'actions': dict((host, dict(c)) for host, c in calls.items())})
    return {'first': first, 'reruns': runs}


def _worktree(ref):
    """A temporary worktree of ref and a collections path resolving datafleet.hadoop to it."""
    base = tempfile.mkdtemp(prefix='datafleet-baseline-')
    tree = os.path.join(base, 'tree')
    subprocess.run(['git', 'worktree', 'add', '--detach', tree, ref], cwd=HERE, check=True, capture_output=True)
    link_dir = os.path.join(base, 'collections', 'ansible_collections', 'datafleet')
    os.makedirs(link_dir)
    os.symlink(tree, os.path.join(link_dir, 'hadoop'))
    return base, tree


def measure(baseline=None, reruns=3):
    variants = []
    if baseline:
        commit = subprocess.run(['git', 'rev-parse', '--short', baseline], cwd=HERE, check=True,
                                capture_output=True, text=True).stdout.strip()
        base, tree = _worktree(baseline)
        try:
            variants.append(('before (%s)' % commit, measure_variant(tree, os.path.join(base, 'collections'), reruns)))
        finally:
            subprocess.run(['git', 'worktree', 'remove', '--force', tree], cwd=HERE, check=False, capture_output=True)
            shutil.rmtree(base, ignore_errors=True)
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=HERE, check=True,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=HERE, check=True,
                           capture_output=True, text=True).stdout.strip()
    label = 'this checkout (%s%s)' % (commit, ', modified' if dirty else '')
    variants.append((label, measure_variant(HERE, os.path.join(HERE, '.cache', 'collections'), reruns)))
    return variants


def _short(action):
    return action.replace('ansible.builtin.', '').replace('datafleet.hadoop.', '')


def section(variants):
    hosts = sorted(set(h for _label, v in variants for run in v['reruns'] for h in run['calls']) - {'localhost'})
    lines = ['## Re-run', '',
             'site.yml on the converged sandbox (tools/benchmark_rerun.py): each variant on fresh containers, '
             'its first run, then %d re-runs; the median re-run, every re-run\'s time with the load average '
             '(1 min) at its start, and the module calls per host of the last re-run (each loop item counts; '
             'skipped tasks and controller-only actions do not).' % len(variants[0][1]['reruns']), '',
             '| Variant | First run | Re-run (median) | Re-runs (load) | Changed | %s |'
             % ' | '.join('Calls on %s' % h.split('.')[0] for h in hosts),
             '|---|---|---|---|---|%s' % ''.join('---|' for _h in hosts)]
    for label, variant in variants:
        runs = variant['reruns']
        last = runs[-1]
        lines.append('| %s | %.0f s | %.1f s | %s | %s | %s |' % (
            label, variant['first'], statistics.median([r['seconds'] for r in runs]),
            ', '.join('%.1f s (%.1f)' % (r['seconds'], r['load']) for r in runs),
            ', '.join(str(r['changed']) for r in runs),
            ' | '.join(str(last['calls'].get(h, 0)) for h in hosts)))
    lines += ['', 'Module calls of the last re-run by action:', '',
              '| Variant | Host | Calls by action |', '|---|---|---|']
    for label, variant in variants:
        last = variant['reruns'][-1]
        for host in hosts:
            actions = sorted(last['actions'].get(host, {}).items(), key=lambda item: (-item[1], item[0]))
            shown = ', '.join('%s %d' % (_short(action), calls) for action, calls in actions)
            lines.append('| %s | %s | %s |' % (label, host, shown))
    lines.append('')
    return lines
