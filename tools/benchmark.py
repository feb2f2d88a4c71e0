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
5. peak memory of the three containers during all of the above: each container's
   memory cgroup (usage minus inactive file cache, as `docker stats` computes it)
   sampled every 2 s, the highest sum and each container's highest, with the
   kernel's own peak since start (memory.max_usage_in_bytes, page cache included);
6. workers: a third worker added with playbooks/scale_out.yml (time from its start
   to the new DataNode live and NodeManager RUNNING); then the third worker
   decommissioned twice (recommissioned in between), each after a dataset in 8 MiB
   blocks is written anew,
   with the NameNode's default replication limits and with the raised ones. The
   drain rate is the bytes and blocks the node held when its decommission started
   over the time until the NameNode said Decommissioned (polled every second).
7. scale-out and inventory size: playbooks/scale_out.yml adding df-worker3 again
   with N = 0, 100, 1,000 extra workers in the inventory (bench-wNNNN.dfsandbox,
   worker profile, ansible_host alternating df-worker1/df-worker2, so reachable but
   not in the run): wall time, load average at the start, per-task times from
   ansible.posix.profile_tasks. Before and after each run df-worker3 is
   decommissioned, its container removed and the master's include/exclude/rack
   files put back to the sandbox's own workers (reset_scale_out).
   `--scale-out-inventory 0,100` measures only this, on the running sandbox
   (make sandbox), and replaces its section of the output file;
8. inventory: topology files of 100, 1,000 and 5,000 hosts (generated: three
   masters, workers in ranges over racks of 40, one per-host override per rack)
   parsed by the datafleet.hadoop.cluster plugin, in a fresh Python each time
   (median of 5): the inventory manager's parse alone, and `ansible-inventory
   --graph` and `--list` as commands. Needs no containers; `--inventory-only`
   measures only this and replaces its section of the output file.
9. high availability (tools/benchmark_ha.py): the HA sandbox's containers
   converged without HA, then convert_to_ha.yml (how long HDFS was unavailable),
   NameNode and ResourceManager failovers by SIGKILL of the active one;
   `--ha-only` measures only this and replaces its section of the output file;
10. rolling restarts (tools/benchmark_rolling.py): four containers of their own
   (three workers on two racks), every DataNode restarted by rolling_restart.yml
   by rack and one at a time under a client load; `--rolling-only` measures only
   this and replaces its section of the output file;
11. rolling upgrade (tools/benchmark_upgrade.py): the HA sandbox's containers
   on Hadoop 3.4.2 upgraded to 3.5.0 by upgrade.yml under a client load, each
   phase timed; `--upgrade-only` measures only this and replaces its section of
   the output file;
12. re-run (tools/benchmark_rerun.py): site.yml re-run on fresh sandbox
   containers, its time and module calls per host, for this checkout and,
   with `--baseline REF`, for an earlier commit in a temporary worktree;
   `--rerun-only` measures only this and replaces its section of the output
   file.
"""
import argparse
import collections
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import benchmark_ha
import benchmark_rerun
import benchmark_rolling
import benchmark_sliced
import benchmark_upgrade

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


CGROUP_ROOT = '/sys/fs/cgroup'


class MemoryReadError(Exception):
    pass


def container_id(name):
    """The full id of a running container, or None when it does not exist or is not running."""
    proc = subprocess.run(['docker', 'inspect', '--format', '{{.State.Running}} {{.Id}}', name],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return None
    running, _sep, full_id = proc.stdout.strip().partition(' ')
    return full_id if running == 'true' else None


def memory_cgroup(name, full_id):
    """(directory, cgroup version) of a container's memory cgroup.

    cgroup v1 (cgroupfs driver): /sys/fs/cgroup/memory/docker/<id>; cgroup v2:
    /sys/fs/cgroup/system.slice/docker-<id>.scope (systemd driver) or
    /sys/fs/cgroup/docker/<id> (cgroupfs driver).
    """
    candidates = ((os.path.join(CGROUP_ROOT, 'memory', 'docker', full_id), 1, 'memory.usage_in_bytes'),
                  (os.path.join(CGROUP_ROOT, 'system.slice', 'docker-%s.scope' % full_id), 2, 'memory.current'),
                  (os.path.join(CGROUP_ROOT, 'docker', full_id), 2, 'memory.current'))
    for path, version, usage in candidates:
        if os.path.isfile(os.path.join(path, usage)):
            return path, version
    raise MemoryReadError('no memory cgroup for container %s (%s): looked for %s' % (
        name, full_id[:12], ', '.join(os.path.join(p, u) for p, _v, u in candidates)))


def _read_int(path):
    with open(path) as handle:
        return int(handle.read().strip())


def _memory_stat(path, key):
    with open(os.path.join(path, 'memory.stat')) as handle:
        for line in handle:
            name, _sep, value = line.partition(' ')
            if name == key:
                return int(value)
    raise MemoryReadError('%s/memory.stat has no %s' % (path, key))


def read_memory(name, cgroup):
    """A container's memory from its cgroup, in bytes.

    in_use: the usage minus the inactive file cache (total_inactive_file on v1,
    inactive_file on v2), as `docker stats` computes it; kernel_peak: the
    kernel's own high-water mark of the usage since the container started
    (memory.max_usage_in_bytes on v1, memory.peak on v2 where the kernel has it),
    which counts the page cache too; None when absent.
    """
    path, version = cgroup
    if version == 1:
        usage = _read_int(os.path.join(path, 'memory.usage_in_bytes'))
        inactive = _memory_stat(path, 'total_inactive_file')
        peak_file = os.path.join(path, 'memory.max_usage_in_bytes')
    else:
        usage = _read_int(os.path.join(path, 'memory.current'))
        inactive = _memory_stat(path, 'inactive_file')
        peak_file = os.path.join(path, 'memory.peak')
    in_use = usage - inactive if inactive < usage else usage
    if in_use <= 0:
        raise MemoryReadError('the memory cgroup of %s (%s) reads %d bytes in use' % (name, path, in_use))
    return {'in_use': in_use, 'kernel_peak': _read_int(peak_file) if os.path.isfile(peak_file) else None}


def memory_now(names=CONTAINERS):
    """{container: read_memory()} of running containers; fails when one is missing or unreadable."""
    result = {}
    for name in names:
        full_id = container_id(name)
        if full_id is None:
            raise MemoryReadError('container %s is not running' % name)
        result[name] = read_memory(name, memory_cgroup(name, full_id))
    return result


class MemorySampler(threading.Thread):
    """Samples the containers' memory cgroups every 2 s.

    peak: the highest sum over the containers of one sample (usage minus
    inactive file cache); peaks: each container's highest. A container that
    does not run yet is skipped until it does (the sandbox is created while the
    sampler runs); result() fails when one was never read or a read failed.
    """

    def __init__(self, names=CONTAINERS, interval=2.0):
        super().__init__(daemon=True)
        self.names = tuple(names)
        self.interval = interval
        self.peak = 0
        self.peaks = dict((name, 0) for name in self.names)
        self.samples = 0
        self.error = None
        self.stop = threading.Event()
        self._cgroups = {}

    def _sample(self):
        total, seen = 0, 0
        for name in self.names:
            if name not in self._cgroups:
                full_id = container_id(name)
                if full_id is None:
                    continue
                self._cgroups[name] = memory_cgroup(name, full_id)
            try:
                in_use = read_memory(name, self._cgroups[name])['in_use']
            except (IOError, OSError):
                # Removed or recreated since: look it up again next time.
                del self._cgroups[name]
                continue
            self.peaks[name] = max(self.peaks[name], in_use)
            total += in_use
            seen += 1
        if seen == len(self.names):
            self.peak = max(self.peak, total)
            self.samples += 1

    def run(self):
        while not self.stop.is_set():
            try:
                self._sample()
            except MemoryReadError as e:
                self.error = str(e)
                return
            self.stop.wait(self.interval)

    def result(self):
        """(peak of the sum, {container: peak}); exits on a failed or missing read, never reports 0."""
        if self.error:
            sys.exit('memory: %s' % self.error)
        missing = [name for name in self.names if not self.peaks[name]]
        if missing or not self.samples:
            sys.exit('memory: no sample of %s in their memory cgroups' % ', '.join(missing or self.names))
        return self.peak, dict(self.peaks)


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


# Alternating, so that a change of the machine's load falls on every size alike.
SCALE_OUT_SIZES = (0, 100, 1000, 1000, 100, 0, 0, 100, 1000)
SANDBOX_WORKERS = tuple(name + '.dfsandbox' for name in CONTAINERS if 'worker' in name)
BENCH_PREFIX = 'bench-w'
RM = 'http://df-master.dfsandbox:8088'


def bench_inventory(extra):
    """The sandbox topology with df-worker3 and `extra` more workers, in a temporary directory.

    The extra workers bench-w0001.dfsandbox ... are in the worker profile (groups
    datanodes and nodemanagers) and reachable: compose maps the odd numbers onto
    the container df-worker1 and the even ones onto df-worker2; every other host
    keeps the sandbox's own ansible_host.
    """
    import yaml
    target = tempfile.mkdtemp(prefix='datafleet-bench-scale-')
    with open(os.path.join(INVENTORY, 'cluster.yml')) as handle:
        topology = yaml.safe_load(handle)
    topology['hosts'][NEW_WORKER] = {'profile': 'worker'}
    if extra:
        width = max(4, len(str(extra)))
        topology['hosts']['%s[%0*d:%0*d].dfsandbox' % (BENCH_PREFIX, width, 1, width, extra)] = {'profile': 'worker'}
    compose = topology.setdefault('compose', {})
    sandbox_host = compose.get('ansible_host', 'inventory_hostname')
    compose['ansible_host'] = (
        "(('df-worker1' if (inventory_hostname.split('.')[0][%d:] | int) is odd else 'df-worker2')"
        " if inventory_hostname.startswith('%s') else (%s))" % (len(BENCH_PREFIX), BENCH_PREFIX, sandbox_host))
    with open(os.path.join(target, 'cluster.yml'), 'w') as handle:
        yaml.safe_dump(topology, handle)
    return target


def playbook_run(playbook, inventory, extra=(), env_extra=None):
    """(seconds, return code, stdout + stderr) of one ansible-playbook run; never exits."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'), **(env_extra or {}))
    argv = ['ansible-playbook', '-i', inventory, playbook]
    for value in extra:
        argv += ['-e', value]
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=HERE, check=False)
    return time.monotonic() - started, proc.returncode, proc.stdout + proc.stderr


_PROFILE_LINE = re.compile(r'^(?P<name>.*?) -*\s*(?P<seconds>\d+\.\d+)s$')


def profile_summary(output):
    """[(task name, seconds)] from the summary of ansible.posix.profile_tasks, the names summed.

    A task's time runs from its start to the start of the next task (all its
    hosts, loops and includes); the same name from several plays or includes is
    summed.
    """
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith('TASKS RECAP')]
    if not starts:
        return []
    totals = collections.OrderedDict()
    rule_seen = False
    for line in lines[starts[-1] + 1:]:
        if not rule_seen:
            rule_seen = line.startswith('=====')
            continue
        match = _PROFILE_LINE.match(line.rstrip())
        if not match:
            if line.strip():
                break
            continue
        name = match.group('name').strip()
        totals[name] = totals.get(name, 0.0) + float(match.group('seconds'))
    return sorted(totals.items(), key=lambda item: -item[1])


# A JVM's log record inside a module's message (the native library warning, ...).
_LOG_RECORD = re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (TRACE|DEBUG|INFO|WARN) .*$')


def failed_task(output):
    """'task: message' of the failure that ended an ansible-playbook run (the last one not ignored), or None."""
    task, found, lines = None, None, output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith('TASK ['):
            task = line[len('TASK ['):].split(']')[0]
        elif line.startswith(('fatal: ', 'failed: ', 'ERROR!')):
            block = [line]
            for follow in lines[i + 1:i + 60]:
                if follow and not follow[0].isspace():
                    if follow.startswith('...ignoring'):
                        block = None
                    break
                block.append(follow)
            if block is None:
                continue
            message = line
            quoted = re.search(r'"msg": "((?:[^"\\]|\\.)*)"', line)
            if quoted:
                message = quoted.group(1)
            else:
                # callback_result_format=yaml: the result follows, indented.
                for j, follow in enumerate(block[1:], 1):
                    if follow.strip().startswith('msg:'):
                        message = follow.strip()[len('msg:'):].strip()
                        if message in ('|', '|-', '>', '>-'):
                            indent = len(follow) - len(follow.lstrip())
                            message = ' '.join(_LOG_RECORD.sub('', more).strip() for more in block[j + 1:]
                                               if len(more) - len(more.lstrip()) > indent)
                        break
            found = '%s: %s' % (task, ' '.join(message.split())[:400])
    return found


def docker_rm(name):
    subprocess.run(['docker', 'rm', '--force', '--volumes', name], capture_output=True, text=True, check=False)


def rm_nodes():
    """{host: state} of the ResourceManager's NodeManagers."""
    data = json.loads(on_master('curl -sS -f "%s/ws/v1/cluster/nodes?states=NEW,RUNNING,UNHEALTHY,DECOMMISSIONING,'
                                'DECOMMISSIONED,LOST,REBOOTED,SHUTDOWN"' % RM))
    return dict((n['nodeHostName'], n['state']) for n in ((data.get('nodes') or {}).get('node') or []))


def namenode_nodes():
    """{host: adminState} of the DataNodes the NameNode reports live."""
    info = json.loads(on_master('curl -sS "%s/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo"' % NN))['beans'][0]
    return dict((key.rsplit(':', 1)[0], node['adminState']) for key, node in json.loads(info['LiveNodes']).items())


def new_datanode_registered():
    """Whether the DataNode on df-worker3 itself says it is registered with the NameNode (not an old entry)."""
    proc = subprocess.run(['docker', 'exec', 'df-worker3', 'curl', '-sS',
                           'http://localhost:9864/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo'],
                          capture_output=True, text=True, check=False)
    try:
        actors = json.loads(json.loads(proc.stdout)['beans'][0]['BPServiceActorInfo'])
    except (ValueError, KeyError, IndexError):
        return False
    return any(actor.get('ActorState') == 'RUNNING' for actor in actors)


_RESET_LISTS = r"""
import json, re, sys
keep = set(sys.argv[1:])
conf = '/etc/hadoop/conf'

def rewrite(name, change):
    path = conf + '/' + name
    with open(path) as handle:
        old = handle.read()
    new = change(old)
    if new != old:
        with open(path, 'w') as handle:  # in place: owner and mode stay
            handle.write(new)

rewrite('dfs.hosts.json', lambda t: json.dumps(sorted([e for e in json.loads(t) if e['hostName'] in keep],
        key=lambda e: e['hostName']), indent=2, sort_keys=True) + '\n')
rewrite('yarn.include', lambda t: ''.join(l for l in t.splitlines(True) if l.strip() in keep or l.startswith('#')))
rewrite('yarn.exclude.xml', lambda t: re.sub(r'\s*<host>.*?</host>', lambda m: m.group(0) if re.search(
        r'<name>\s*(.*?)\s*</name>', m.group(0), re.S).group(1) in keep else '', t, flags=re.S))
rewrite('topology.data', lambda t: ''.join(l for l in t.splitlines(True)
        if l.startswith('#') or not l.strip() or l.split()[0] in keep))
"""


def refresh_masters():
    """dfsadmin -refreshNodes and rmadmin -refreshNodes on df-master, as the collection's modules run them."""
    sys.path.insert(0, os.path.join(HERE, '.cache', 'collections'))
    from ansible_collections.datafleet.hadoop.plugins.module_utils._layout import admin_argv
    java_home = os.path.dirname(os.path.dirname(on_master('readlink -f "$(command -v java)"').strip()))
    for tool, user in (('dfsadmin', _default('hadoop', 'hadoop_hdfs_user')),
                       ('rmadmin', _default('hadoop', 'hadoop_yarn_user'))):
        argv = admin_argv(java_home, '/opt/hadoop/current', '/etc/hadoop/conf', tool, ['-refreshNodes'])
        subprocess.run(['docker', 'exec', '-e', 'HADOOP_USER_NAME=' + user, '-e', 'MALLOC_ARENA_MAX=4', 'df-master']
                       + argv, capture_output=True, text=True, check=True)


def sandbox_baseline(timeout=120):
    """Wait until the masters see exactly the sandbox's workers, live and in service / RUNNING."""
    deadline = time.monotonic() + timeout
    while True:
        hdfs, yarn = namenode_nodes(), rm_nodes()
        running = sorted(h for h, state in yarn.items() if state == 'RUNNING')
        if (sorted(hdfs) == sorted(SANDBOX_WORKERS) and set(hdfs.values()) == {'In Service'}
                and running == sorted(SANDBOX_WORKERS)):
            return
        if time.monotonic() > deadline:
            sys.exit('the sandbox is not back to its own workers: NameNode %s, ResourceManager %s' % (hdfs, yarn))
        time.sleep(2)


def wait_namenode_refresh(quiet=10, timeout=900):
    """Wait until the NameNode has logged no unresolved include-file name for `quiet` seconds.

    A refresh of an include file naming many hosts that do not resolve goes on
    in the NameNode after the dfsadmin client gave up (its 60 s socket timeout);
    a later refresh that finishes first would be overwritten by it.
    """
    deadline = time.monotonic() + timeout
    script = ('last=$(grep "Failed to resolve" /var/log/hadoop/hdfs/hdfs-namenode.log | tail -n 1 | cut -c1-19); '
              'echo $(( $(date +%s) - $(date -d "${last:-1970-01-01}" +%s) ))')
    while int(on_master(script).strip() or quiet) < quiet:
        if time.monotonic() > deadline:
            sys.exit('the NameNode is still resolving the names of its include file after %d s' % timeout)
        time.sleep(2)


def restrict_master_lists(hosts):
    """Keep only `hosts` in the master's DataNode include file, NodeManager include and exclude files and
    rack table (rewritten in place), then refresh the NameNode and the ResourceManager."""
    subprocess.run(['docker', 'exec', 'df-master', 'python3', '-c', _RESET_LISTS] + list(hosts),
                   capture_output=True, text=True, check=True)
    refresh_masters()


def reset_scale_out():
    """Take df-worker3 out of the sandbox again and give the masters their own workers' lists back.

    0. a NameNode refresh still running from the measured run is waited for;
    1. the extra inventory workers leave the master's lists first (the NameNode
       resolves every name of its include file on each refresh, ~0.15 s per name
       that does not resolve, and the decommission refreshes it);
    2. decommission.yml for df-worker3 when its DataNode is live and not
       decommissioned (blocks written to it move back to the other workers,
       YARN and HDFS let it go cleanly);
    3. its container removed with `docker rm` (tools/sandbox/containers_absent.yml
       would also remove the sandbox network, under the running masters);
    4. df-worker3 leaves the master's lists too (DataNode include file,
       NodeManager include and exclude files, rack table) and both masters are
       refreshed: the lists are the sandbox's own, as after `make sandbox`.
    """
    wait_namenode_refresh()
    if namenode_nodes().get(NEW_WORKER, 'Decommissioned') != 'Decommissioned' and container_id('df-worker3'):
        restrict_master_lists(SANDBOX_WORKERS + (NEW_WORKER,))
        inventory = bench_inventory(0)
        try:
            ansible('playbooks/decommission.yml', inventory=inventory,
                    extra=['hadoop_decommission_hosts=' + NEW_WORKER, 'hdfs_namenode_admin_report_interval=5'])
        finally:
            shutil.rmtree(inventory)
    docker_rm('df-worker3')
    restrict_master_lists(SANDBOX_WORKERS)
    sandbox_baseline()


_HOSTS_MARK = '# datafleet benchmark workers'


def resolve_on_master(extra):
    """Names the masters can resolve, like those of real workers: the extra
    workers' names in df-master's /etc/hosts, on the addresses of the
    containers Ansible reaches them on (odd df-worker1, even df-worker2). A
    name that does not resolve costs the NameNode a DNS timeout on every
    refresh of its include file, which real workers' names do not."""
    addresses = {}
    for name in ('df-worker1', 'df-worker2'):
        addresses[name] = subprocess.run(
            ['docker', 'inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name],
            capture_output=True, text=True, check=True).stdout.strip()
    width = max(4, len(str(extra)))
    lines = ['%s %s%0*d.dfsandbox %s' % (addresses['df-worker1' if n % 2 else 'df-worker2'], BENCH_PREFIX, width, n,
                                         _HOSTS_MARK) for n in range(1, extra + 1)]
    script = "grep -v '%s' /etc/hosts > /tmp/hosts.new; cat /tmp/hosts.new > /etc/hosts; cat >> /etc/hosts" % _HOSTS_MARK
    subprocess.run(['docker', 'exec', '-i', 'df-master', 'sh', '-c', script], input=''.join(line + '\n' for line in lines),
                   text=True, check=True, capture_output=True)


def scale_out_run(extra, logs):
    """One measured scale_out.yml adding df-worker3 with `extra` more workers in the inventory."""
    add = json.dumps({'sandbox_nodes': [{'name': 'worker3'}]})
    ansible('tools/sandbox/containers.yml', inventory=False, extra=[add])
    resolve_on_master(extra)
    inventory = bench_inventory(extra)
    try:
        load = os.getloadavg()
        seconds, returncode, output = playbook_run(
            'playbooks/scale_out.yml', inventory, extra=['hadoop_scale_out_hosts=' + NEW_WORKER],
            env_extra={'ANSIBLE_CALLBACKS_ENABLED': 'ansible.posix.profile_tasks',
                       'PROFILE_TASKS_TASK_OUTPUT_LIMIT': 'all'})
    finally:
        shutil.rmtree(inventory)
    log = os.path.join(logs, 'scale_out-%d.log' % extra)
    with open(log, 'w') as handle:
        handle.write(output)
    row = {'extra': extra, 'seconds': seconds, 'load': load, 'tasks': profile_summary(output), 'log': log,
           'failed': None if returncode == 0 else (failed_task(output) or 'exit code %d' % returncode)}
    if returncode == 0:
        # The play waited for df-worker3 live and in service on the NameNode;
        # check that this was the new DataNode, not an entry left from the last run.
        row['registered'] = new_datanode_registered()
        row['namenode'] = namenode_nodes().get(NEW_WORKER)
        row['resourcemanager'] = rm_nodes().get(NEW_WORKER)
    return row


def scale_out_rows(sizes=SCALE_OUT_SIZES):
    """scale_out.yml of one real worker with each number of extra inventory workers, reset in between."""
    logs = tempfile.mkdtemp(prefix='datafleet-bench-scale-logs-')
    rows = []
    reset_scale_out()
    for extra in sizes:
        rows.append(scale_out_run(extra, logs))
        print('N=%d: %.0f s%s (log %s)' % (extra, rows[-1]['seconds'],
              ', FAILED: ' + rows[-1]['failed'] if rows[-1]['failed'] else '', rows[-1]['log']), file=sys.stderr)
        reset_scale_out()
    return rows


def _median_of(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2.0


def scale_out_section(rows):
    """The rows grouped by N (runs alternate between the sizes): every run's time and load, the
    median, its ratio to N=0's median, and the tasks whose median time grows with N."""
    sizes = sorted(set(row['extra'] for row in rows))
    by_size = dict((n, [row for row in rows if row['extra'] == n]) for n in sizes)
    ok = dict((n, [row for row in runs if not row['failed']]) for n, runs in by_size.items())
    medians = dict((n, _median_of([row['seconds'] for row in runs])) for n, runs in ok.items() if runs)
    base = sizes[0]
    lines = ['## Scale-out and inventory size', '',
             '`playbooks/scale_out.yml` adding one real worker (container df-worker3) to the running sandbox,',
             'with N more workers in the inventory besides the sandbox\'s own: bench-w0001.dfsandbox ... in the',
             'worker profile (groups datanodes and nodemanagers), reachable (ansible_host alternates between',
             'df-worker1 and df-worker2) but not in the run, which targets only df-worker3. Wall time of the',
             'command; task times from ansible.posix.profile_tasks (a task runs until the next one starts; the',
             'same name from several plays or includes summed). The sizes alternate, %d run(s) each, and the'
             % max(len(runs) for runs in by_size.values()),
             'load average (1 min) at the start of each run is given beside its time, on %d CPUs. Between runs'
             % os.cpu_count(),
             'df-worker3 is decommissioned (playbooks/decommission.yml), its container removed, and the master\'s',
             'include, exclude and rack files put back to the sandbox\'s own workers and refreshed, so every run',
             'adds a worker the masters have not seen. The extra names resolve on the master (its /etc/hosts, to',
             'the addresses of df-worker1 and df-worker2), as real workers\' names do: the NameNode resolves every',
             'name of its include file when it is refreshed, and a name that does not resolve costs it a DNS',
             'timeout each time.', '',
             '| Extra workers (N) | Runs (load at start) | Median | Ratio to N=%d | Slowest tasks (median run) |' % base,
             '|---|---|---|---|---|']
    for n in sizes:
        runs = ', '.join('%.0f s (%.2f)%s' % (row['seconds'], row['load'][0], ' failed: %s' % row['failed'].replace(
            '|', '\\|') if row['failed'] else '' if row.get('registered') else ' (new DataNode not registered)')
            for row in by_size[n])
        median = medians.get(n)
        ratio = '%.2f' % (median / medians[base]) if median and medians.get(base) else 'n/a'
        middle = sorted(ok[n], key=lambda row: row['seconds'])[len(ok[n]) // 2] if ok[n] else by_size[n][0]
        top = '; '.join('%s %.1f s' % (name.replace('|', '\\|'), seconds) for name, seconds in middle['tasks'][:5])
        lines.append('| {:,} | {} | {} | {} | {} |'.format(n, runs, '%.0f s' % median if median else 'n/a', ratio, top))
    if len(sizes) > 1 and ok[base] and ok[sizes[-1]]:
        largest = sizes[-1]

        def task_medians(runs):
            names = set(name for row in runs for name, dummy in row['tasks'])
            return dict((name, _median_of([dict(row['tasks']).get(name, 0.0) for row in runs])) for name in names)
        small, large = task_medians(ok[base]), task_medians(ok[largest])
        growth = sorted(((large[name] - small.get(name, 0.0), name) for name in large), reverse=True)
        growth = [g for g in growth if g[0] >= 0.5][:8]
        lines += ['', 'Tasks whose median time grows with N (N={:,} against N={:,}, at least 0.5 s more):'.format(
            largest, base), '',
            '| Task | N={:,} | N={:,} | Per extra worker |'.format(base, largest), '|---|---|---|---|']
        for more, name in growth:
            lines.append('| %s | %.1f s | %.1f s | %.1f ms |' % (
                name.replace('|', '\\|'), small.get(name, 0.0), large[name], more * 1000.0 / (largest - base)))
        if not growth:
            lines.append('| (none) | | | |')
    return lines + ['']


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
    parser.add_argument('--scale-out-inventory', metavar='SIZES',
                        help='measure only scale_out.yml adding df-worker3 to the running sandbox with each number '
                             'of extra inventory workers (comma-separated, e.g. %s) and replace its section of the '
                             'output' % ','.join(str(n) for n in SCALE_OUT_SIZES))
    parser.add_argument('--ha-only', action='store_true',
                        help='measure only the HA sandbox (conversion, NameNode and ResourceManager failover; '
                             'tools/benchmark_ha.py) and replace its section of the output')
    parser.add_argument('--rolling-only', action='store_true',
                        help='measure only the rolling restarts of DataNodes (tools/benchmark_rolling.py) and '
                             'replace their section of the output')
    parser.add_argument('--upgrade-only', action='store_true',
                        help='measure only the rolling upgrade of the HA sandbox (tools/benchmark_upgrade.py) and '
                             'replace its section of the output')
    parser.add_argument('--rerun-only', action='store_true',
                        help='measure only the site.yml re-run (tools/benchmark_rerun.py) and replace its section '
                             'of the output')
    parser.add_argument('--sliced-only', action='store_true',
                        help='measure only site.yml in stages with the workers as AWX job slices, against one unsliced '
                             'run (tools/benchmark_sliced.py), and replace its section of the output')
    parser.add_argument('--baseline', metavar='REF',
                        help='with the re-run: measure the commit REF too, checked out in a temporary worktree')
    parser.add_argument('--reruns', type=int, default=3, help='re-runs per variant (default 3)')
    args = parser.parse_args()
    if args.rerun_only:
        section = benchmark_rerun.section(benchmark_rerun.measure(args.baseline, args.reruns))
        replace_section(args.output, section)
        print('\n'.join(section))
        return
    if args.sliced_only:
        section = benchmark_sliced.section(benchmark_sliced.measure(args.reruns))
        replace_section(args.output, section)
        print('\n'.join(section))
        return
    if args.ha_only or args.rolling_only or args.upgrade_only:
        part = benchmark_ha if args.ha_only else benchmark_rolling if args.rolling_only else benchmark_upgrade
        section = part.section(part.measure())
        replace_section(args.output, section)
        print('\n'.join(section))
        return
    if args.scale_out_inventory:
        if not container_id('df-master'):
            sys.exit('no running sandbox (docker ps shows no df-master): make sandbox first')
        sizes = [int(n) for n in args.scale_out_inventory.split(',') if n.strip()]
        section = scale_out_section(scale_out_rows(sizes))
        replace_section(args.output, section)
        print('\n'.join(section))
        return
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
    memory_peak, memory_peaks = sampler.result()
    try:
        memory_end = memory_now()
    except MemoryReadError as e:
        sys.exit('memory: %s' % e)
    scale_out, default, raised = workers()
    scale_out_sizes = scale_out_rows()

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
        '| site.yml re-run on the converged sandbox (see Re-run below) | %.0f s, changed=%d | about 25 s, changed=0 |'
        % (rerun, changed_count(second)),
        '| Peak memory of the three containers (highest sum of one sample, see below) | %s | < 6 GiB |'
        % mib(memory_peak),
        '',
        'Memory is read from each container\'s memory cgroup every 2 s from the start of the bring-up to',
        'the end of the re-run: the usage minus the inactive file cache (what `docker stats` shows, which',
        'this Docker engine reports as 0 for some running containers). The kernel\'s own peak',
        '(memory.max_usage_in_bytes, or memory.peak on cgroup v2) is exact but counts the page cache too',
        '(the unpacked artifacts, logs), so it is shown beside it, not used for the goal.',
        '',
        '| Container | Peak in use (sampled) | In use after the re-run | Kernel peak since start, with page cache |',
        '|---|---|---|---|',
    ]
    for name in CONTAINERS:
        kernel_peak = memory_end[name]['kernel_peak']
        peak = 'n/a' if kernel_peak is None else mib(kernel_peak)
        lines.append('| %s | %s | %s | %s |' % (name, mib(memory_peaks[name]), mib(memory_end[name]['in_use']), peak))
    lines += [
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
    lines += scale_out_section(scale_out_sizes)
    lines += inventory_section(inventory_rows())
    lines += benchmark_ha.section(benchmark_ha.measure())
    lines += benchmark_rolling.section(benchmark_rolling.measure())
    lines += benchmark_upgrade.section(benchmark_upgrade.measure())
    lines += benchmark_rerun.section(benchmark_rerun.measure(args.baseline, args.reruns))
    lines += benchmark_sliced.section(benchmark_sliced.measure(args.reruns))
    with open(args.output, 'w') as handle:
        handle.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
