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
   during all of the above;
6. workers: a third worker added with playbooks/scale_out.yml (time from its start
   to the new DataNode live and NodeManager RUNNING); then the third worker
   decommissioned twice (recommissioned in between), each after a dataset in 8 MiB
   blocks is written anew,
   with the NameNode's default replication limits and with the raised ones. The
   drain rate is the bytes and blocks the node held when its decommission started
   over the time until the NameNode said Decommissioned (polled every second).
7. inventory: topology files of 100, 1,000 and 5,000 hosts (generated: three
   masters, workers in ranges over racks of 40, one per-host override per rack)
   parsed by the datafleet.hadoop.cluster plugin, in a fresh Python each time
   (median of 5): the inventory manager's parse alone, and `ansible-inventory
   --graph` and `--list` as commands. Needs no containers; `--inventory-only`
   measures only this and replaces its section of the output file.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
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


def ansible(playbook, json_output=False, inventory=True, extra=()):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'))
    if json_output:
        env['ANSIBLE_STDOUT_CALLBACK'] = 'ansible.posix.json'
    if inventory is True:
        inventory = INVENTORY
    argv = ['ansible-playbook', playbook] + (['-i', inventory] if inventory else [])
    for value in extra:
        argv += ['-e', value]
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


NEW_WORKER = 'df-worker3.dfsandbox'
NN = 'http://df-master.dfsandbox:9870'


def scaled_inventory():
    """The sandbox topology with a third worker, in a temporary directory."""
    import yaml
    target = tempfile.mkdtemp(prefix='datafleet-bench-')
    with open(os.path.join(INVENTORY, 'cluster.yml')) as handle:
        topology = yaml.safe_load(handle)
    topology['hosts'][NEW_WORKER] = {'profile': 'worker'}
    with open(os.path.join(target, 'cluster.yml'), 'w') as handle:
        yaml.safe_dump(topology, handle)
    return target


def on_master(script):
    return subprocess.run(['docker', 'exec', 'df-master', 'bash', '-c', script], capture_output=True, text=True,
                          check=True).stdout


def datanode(host):
    info = json.loads(on_master('curl -sS "%s/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo"' % NN))['beans'][0]
    return json.loads(info['LiveNodes']).get(host + ':9866')


def write_dataset():
    """400 MiB in 8 MiB blocks, written anew so every worker holds a share of new blocks."""
    on_master('for i in 1 2 3 4; do head -c 104857600 /dev/urandom > /tmp/bench.bin && curl -sS -f -L -X PUT '
              '-T /tmp/bench.bin "%s/webhdfs/v1/bench/f$i?op=CREATE&overwrite=true&blocksize=8388608&user.name=hdfs" '
              '> /dev/null; done; rm /tmp/bench.bin' % NN)


def drain(inventory, raised):
    """(bytes, blocks, seconds) of one decommission of the new worker."""
    write_dataset()
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'))
    argv = ['ansible-playbook', '-i', inventory, 'playbooks/decommission.yml', '-e', 'hadoop_decommission_hosts=' + NEW_WORKER,
            '-e', 'hdfs_namenode_raise_drain_limits=%s' % ('true' if raised else 'false'),
            '-e', 'hdfs_namenode_admin_report_interval=5']
    run = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=HERE)
    start = held = None
    while True:
        node = datanode(NEW_WORKER)
        state = node['adminState'] if node else 'gone'
        if start is None and state == 'Decommission In Progress':
            start = time.monotonic()
            held = held or node
        elif start is None:
            held = node
        if start is not None and state == 'Decommissioned':
            seconds = time.monotonic() - start
            break
        if run.poll() is not None and state != 'Decommission In Progress':
            sys.exit('the decommission ended without the node reaching Decommissioned (%s)' % state)
        time.sleep(1)
    if run.wait() != 0:
        sys.exit('decommission.yml failed')
    ansible('playbooks/recommission.yml', inventory=inventory, extra=['hadoop_recommission_hosts=' + NEW_WORKER])
    return held['used'], held['numBlocks'], seconds


def workers():
    """Scale-out time and drain rates (see the module docstring)."""
    extra = json.dumps({'sandbox_nodes': [{'name': 'worker3'}]})
    ansible('tools/sandbox/containers.yml', inventory=False, extra=[extra])
    inventory = scaled_inventory()
    scale_out = ansible('playbooks/scale_out.yml', inventory=inventory,
                        extra=['hadoop_scale_out_hosts=' + NEW_WORKER])[0]
    default = drain(inventory, raised=False)
    raised = drain(inventory, raised=True)
    shutil.rmtree(inventory)
    return scale_out, default, raised


def rate_row(label, measured):
    used, blocks, seconds = measured
    return '| %s | %s in %d blocks | %.0f s | %.1f MB/s, %.2f blocks/s |' % (
        label, mib(used), blocks, seconds, used / 1e6 / seconds, blocks / seconds)


INVENTORY_SIZES = (100, 1000, 5000)
_PARSE = """
import sys, time
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader()
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
started = time.perf_counter()
inventory = InventoryManager(loader=DataLoader(), sources=[sys.argv[1]])
elapsed = time.perf_counter() - started
assert len(inventory.hosts) == int(sys.argv[2]), len(inventory.hosts)
print(elapsed)
"""


def topology(hosts):
    """A topology of the given size: 3 masters, the rest workers on racks of 40."""
    workers = hosts - 3
    data = {
        'plugin': 'datafleet.hadoop.cluster',
        'cluster': {'name': 'bench', 'versions': {'hadoop': '3.5.0'},
                    'config': {'hdfs_site': {'dfs.replication': 3}}, 'vars': {'ansible_user': 'deploy'}},
        'profiles': {'master': {'services': ['namenode', 'resourcemanager']},
                     'history': {'services': ['historyserver', 'spark_history']},
                     'edge': {'services': ['spark_client']},
                     'worker': {'services': ['datanode', 'nodemanager'],
                                'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 98304}}}},
        'racks': {},
        'hosts': {'master1.dc1.example.com': {'profile': 'master'},
                  'master2.dc1.example.com': {'profile': 'history'},
                  'edge1.dc1.example.com': {'profile': 'edge'}},
    }
    for first in range(1, workers + 1, 40):
        last = min(first + 39, workers)
        pattern = 'worker[%05d:%05d].dc1.example.com' % (first, last)
        data['hosts'][pattern] = {'profile': 'worker'}
        data['racks']['/dc1/rack%d' % (first // 40 + 1)] = [pattern]
        data['hosts']['worker%05d.dc1.example.com' % first] = {
            'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 49152}}}
    return data


def _timed(argv, env):
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=HERE, check=False)
    if proc.returncode != 0:
        sys.exit('%s failed:\n%s' % (' '.join(argv), proc.stderr[-3000:]))
    return time.perf_counter() - started, proc.stdout


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


def inventory_rows(repeat=5):
    import yaml
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'))
    rows = []
    workdir = tempfile.mkdtemp(prefix='datafleet-bench-inv-')
    try:
        for hosts in INVENTORY_SIZES:
            path = os.path.join(workdir, 'cluster-%d.yml' % hosts)
            with open(path, 'w') as handle:
                yaml.safe_dump(topology(hosts), handle)
            parse = _median([float(_timed([sys.executable, '-c', _PARSE, path, str(hosts)], env)[1])
                             for _run in range(repeat)])
            graph = _median([_timed(['ansible-inventory', '-i', path, '--graph'], env)[0] for _run in range(repeat)])
            listed = _median([_timed(['ansible-inventory', '-i', path, '--list'], env)[0] for _run in range(repeat)])
            rows.append((hosts, parse, graph, listed))
    finally:
        shutil.rmtree(workdir)
    return rows


def inventory_section(rows):
    lines = ['## Inventory', '',
             'The datafleet.hadoop.cluster plugin over generated topology files (three masters, workers in',
             'ranges over racks of 40, one per-host override per rack), each size measured in a fresh Python,',
             'median of 5. "Parse" is the inventory manager reading the file (plugin, validation, groups and',
             'variables); the commands include starting Python and Ansible.', '',
             '| Hosts | Parse | Parse per host | `ansible-inventory --graph` | `ansible-inventory --list` | Goal |',
             '|---|---|---|---|---|---|']
    for hosts, parse, graph, listed in rows:
        lines.append('| %s | %.2f s | %.2f ms | %.2f s | %.2f s | %s |' % (
            '{:,}'.format(hosts), parse, parse * 1000.0 / hosts, graph, listed,
            'parse < 2 s' if hosts == max(INVENTORY_SIZES) else ''))
    (small, small_parse, _graph, small_list), (large, large_parse, _graph2, large_list) = rows[-2], rows[-1]
    lines += ['', 'Growth between {:,} and {:,} hosts: %.3f ms of parse per added host (the fixed part is '
              'loading the plugin and Ansible\'s inventory);'.format(small, large)
              % ((large_parse - small_parse) * 1000.0 / (large - small)),
              '`--list` adds %.2f ms per host: Ansible merging and printing every host\'s variables.'
              % ((large_list - small_list) * 1000.0 / (large - small))]
    return lines + ['']


def replace_section(path, section):
    """Put the section in place of the file's section with the same title (or at its end)."""
    with open(path) as handle:
        text = handle.read()
    title = section[0]
    start = text.find(title + '\n')
    if start < 0:
        text = text.rstrip('\n') + '\n\n' + '\n'.join(section)
    else:
        end = text.find('\n## ', start + len(title))
        text = text[:start] + '\n'.join(section) + ('' if end < 0 else text[end:])
    with open(path, 'w') as handle:
        handle.write(text.rstrip('\n') + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--output', default=os.path.join(HERE, 'docs', 'benchmarks.md'))
    parser.add_argument('--inventory-only', action='store_true',
                        help='measure only the inventory plugin and replace its section of the output')
    args = parser.parse_args()
    if args.inventory_only:
        section = inventory_section(inventory_rows())
        replace_section(args.output, section)
        print('\n'.join(section))
        return

    # The third worker too, from an earlier run.
    every = json.dumps({'sandbox_nodes': [{'name': n} for n in ('master', 'worker1', 'worker2', 'worker3')]})
    ansible('tools/sandbox/containers_absent.yml', inventory=False, extra=[every])
    sampler = MemorySampler()
    sampler.start()
    up_containers = ansible('tools/sandbox/containers.yml', inventory=False)[0]
    up_site, first = ansible('site.yml', json_output=True)
    check = ansible('playbooks/service_check.yml')[0]
    rerun, second = ansible('site.yml', json_output=True)
    sampler.stop.set()
    sampler.join()
    scale_out, default, raised = workers()

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
              '(unpacking the Hadoop and Spark tarballs, the Spark shuffle service jar) when they changed.', '',
              '## Workers', '',
              'A third worker (container df-worker3) added to the running sandbox, then decommissioned twice',
              '(recommissioned in between), each time right after a 400 MiB dataset in 8 MiB blocks',
              '(replication 2) was written anew, so the node holds a share of fresh blocks.',
              'The drain rate is what the node held when its decommission started over the time until the',
              'NameNode said Decommissioned; the NameNode recounts a draining node every 30 s',
              '(dfs.namenode.decommission.interval), which bounds the resolution.', '',
              '| Measure | Result |', '|---|---|',
              '| scale_out.yml, from its start to the new DataNode live and NodeManager RUNNING | %.0f s |' % scale_out,
              '', '| Decommission | Data on the node | Drain time | Rate |', '|---|---|---|---|',
              rate_row('Default limits (max-streams 2, hard limit 4, multiplier 2)', default),
              rate_row('Raised limits (20, 40, 10; hdfs_namenode_drain_limits)', raised), '']
    lines += inventory_section(inventory_rows())
    with open(args.output, 'w') as handle:
        handle.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
