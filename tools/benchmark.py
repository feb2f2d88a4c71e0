"""Measure the sandbox and write docs/benchmarks.md.

    python3 tools/benchmark.py --output docs/benchmarks.md

Needs the Docker engine, the node image and the artifacts (make image; the
first site.yml run builds the artifacts). It removes any running sandbox, then:

1. bring-up: containers.yml + site.yml from no containers (artifacts already built);
2. service check: playbooks/service_check.yml;
3. re-run: site.yml on the converged sandbox, with its changed count;
4. artifact bytes pushed to each node on the first run and on the re-run, summed
   from the results of the tasks that send controller files (unarchive/copy)
   and changed, as reported by the json callback;
5. peak memory of the three containers (sum of `docker stats` samples every 2 s)
   during all of the above.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY = os.path.join(HERE, 'inventories', 'sandbox')
CONTAINERS = ('df-master', 'df-worker1', 'df-worker2')
CACHE = os.path.expanduser('~/.cache/datafleet-hadoop/dist')


def _default(role, name):
    import yaml  # from the venv, like ansible itself
    with open(os.path.join(HERE, 'roles', role, 'defaults', 'main.yml')) as handle:
        return yaml.safe_load(handle)[name]


def pushed_file(task_name, result):
    """The controller file a task sent to a node, or None.

    Task names are matched on their fixed part (the json callback reports
    them untemplated); the destination tells which artifact it was.
    """
    hadoop, spark = _default('hadoop', 'hadoop_version'), _default('spark', 'spark_version')
    dest = str(result.get('dest', ''))
    if 'Unpack the artifact sent by the controller' in task_name:
        if dest.rstrip('/').endswith('/opt/hadoop'):
            return os.path.join(CACHE, 'hadoop-%s.tar.gz' % hadoop)
        if dest.rstrip('/').endswith('/opt/spark'):
            return os.path.join(CACHE, 'spark-%s-bin-hadoop3.tgz' % spark)
    if 'Install the shuffle service jar' in task_name:
        return os.path.join(CACHE, 'spark-%s-bin-hadoop3-yarn' % spark, os.path.basename(dest))
    return None


_UNITS = {'B': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3, 'kB': 1000, 'MB': 1000 ** 2, 'GB': 1000 ** 3}


def parse_size(text):
    for unit in sorted(_UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * _UNITS[unit]
    return float(text)


class MemorySampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            out = subprocess.run(['docker', 'stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}'],
                                 capture_output=True, text=True, check=False).stdout
            total = 0.0
            for line in out.splitlines():
                name, usage = line.split(' ', 1)
                if name in CONTAINERS:
                    total += parse_size(usage.split('/')[0].strip())
            self.peak = max(self.peak, total)
            self.stop.wait(2)


def ansible(playbook, json_output=False, inventory=True):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'))
    if json_output:
        env['ANSIBLE_STDOUT_CALLBACK'] = 'ansible.posix.json'
    argv = ['ansible-playbook', playbook] + (['-i', INVENTORY] if inventory else [])
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=HERE, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit('%s failed:\n%s' % (playbook, (proc.stdout + proc.stderr)[-4000:]))
    return elapsed, (json.loads(proc.stdout) if json_output else None)


def pushed_bytes(result):
    """Bytes of controller files sent to each host by tasks that changed."""
    sent = {}
    for play in result['plays']:
        for task in play['tasks']:
            for host, res in task['hosts'].items():
                sent.setdefault(host, 0)
                path = pushed_file(task['task']['name'], res) if res.get('changed') else None
                if path:
                    sent[host] += os.path.getsize(path)
    return dict((h, b) for h, b in sent.items() if h != 'localhost')


def changed_count(result):
    return sum(stats.get('changed', 0) for stats in result['stats'].values())


def mib(value):
    return '%.0f MiB' % (value / 1024.0 ** 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--output', default=os.path.join(HERE, 'docs', 'benchmarks.md'))
    args = parser.parse_args()

    ansible('tools/sandbox/containers_absent.yml', inventory=False)
    sampler = MemorySampler()
    sampler.start()
    up_containers = ansible('tools/sandbox/containers.yml', inventory=False)[0]
    up_site, first = ansible('site.yml', json_output=True)
    check = ansible('playbooks/service_check.yml')[0]
    rerun, second = ansible('site.yml', json_output=True)
    sampler.stop.set()
    sampler.join()

    first_bytes, second_bytes = pushed_bytes(first), pushed_bytes(second)
    lines = [
        '# Benchmarks',
        '',
        'Produced by `python3 tools/benchmark.py` (`make benchmark`) on %s, %s, %d CPUs; numbers from one run.'
        % (datetime.date.today().isoformat(), platform.platform(), os.cpu_count()),
        'The sandbox is three systemd containers on one machine (master: NameNode, ResourceManager,',
        'MapReduce and Spark history servers; two workers: DataNode + NodeManager), driven by the',
        'community.docker connection. Artifacts were already built (tools/build-dist).',
        '',
        '| Measure | Result | Goal |',
        '|---|---|---|',
        '| Sandbox bring-up from no containers (containers + site.yml) | %.0f s (%.0f s + %.0f s) | |'
        % (up_containers + up_site, up_containers, up_site),
        '| Service check (HDFS round trip, PySpark job on YARN, history server) | %.0f s | |' % check,
        '| site.yml re-run on the converged sandbox | %.0f s, changed=%d | < 60 s, changed=0 |'
        % (rerun, changed_count(second)),
        '| Peak memory of the three containers | %s | < 6 GiB |' % mib(sampler.peak),
        '',
        '| Node | Artifact bytes pushed, first run | Re-run | Goal on re-run |',
        '|---|---|---|---|',
    ]
    for host in sorted(first_bytes):
        lines.append('| %s | %s (%d bytes) | %d bytes | 0 |'
                     % (host, mib(first_bytes[host]), first_bytes[host], second_bytes.get(host, 0)))
    lines += ['', 'Artifact bytes are the sizes of the controller files sent by the tasks that push them',
              '(unpacking the Hadoop and Spark tarballs, the Spark shuffle service jar) when they changed.', '']
    with open(args.output, 'w') as handle:
        handle.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
