"""Rolling restarts of DataNodes, for tools/benchmark.py.

Four containers of their own (dr-master and dr-worker1..3 on the network
dfrolling, no published ports, so the sandbox may keep running), converged
with the sandbox's topology plus a third worker and two racks: dr-worker1 and
dr-worker2 in /rack1, dr-worker3 in /rack2, replication 2. A dataset is
written, then a client on dr-master (molecule/common/RollingClient.java, one
JVM) writes a new file and reads it back once a second while
rolling_restart.yml restarts the DataNodes twice:

1. with the batch size derived (every block is on both racks, so one rack at
   a time: two batches for three DataNodes);
2. one DataNode at a time (hdfs_datanode_batch_size=1: three batches).

The controller samples every DataNode's own web server and the NameNode's
JMX twice a second. A DataNode's restart-to-live time runs from the
-shutdownDatanode request it logged to the first sample at which its web
server answers again and the NameNode has heard from it since. The DataNode phase
of a run runs from the end of the plan to the end of the report of its last
batch (task start times from ansible.posix.profile_tasks). The containers are
removed at the end.
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import yaml

from benchmark_ha import on, playbook

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The client load of the molecule scenarios.
sys.path.insert(0, os.path.join(HERE, 'molecule', 'common'))
import workload  # noqa: E402 pylint: disable=wrong-import-position
NETWORK = 'dfrolling'
PREFIX = 'dr-'
MASTER = PREFIX + 'master'
WORKERS = tuple('%sworker%d' % (PREFIX, i) for i in (1, 2, 3))
DATANODES = tuple('%s.%s' % (name, NETWORK) for name in WORKERS)
RACKS = {'/rack1': list(DATANODES[:2]), '/rack2': list(DATANODES[2:])}
CONTAINERS_VARS = json.dumps({'sandbox_network': NETWORK, 'sandbox_name_prefix': PREFIX,
                              'sandbox_nodes': [{'name': name[len(PREFIX):]} for name in (MASTER,) + WORKERS]})
GOAL_RATIO = 1.3


def topology(target):
    """The sandbox's topology with three workers on two racks, in target/cluster.yml."""
    with open(os.path.join(HERE, 'inventories', 'sandbox', 'cluster.yml')) as handle:
        cluster = yaml.safe_load(handle)
    cluster['cluster']['name'] = 'rolling'
    cluster['hosts'] = {'%s.%s' % (MASTER, NETWORK): {'profile': 'master'},
                        '%sworker[1:3].%s' % (PREFIX, NETWORK): {'profile': 'worker'}}
    cluster['racks'] = RACKS
    with open(os.path.join(target, 'cluster.yml'), 'w') as handle:
        yaml.safe_dump(cluster, handle)
    return target


def address(container):
    return subprocess.run(['docker', 'inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
                           container], capture_output=True, text=True, check=True).stdout.strip()


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return json.loads(response.read().decode('utf-8'))
    except (OSError, ValueError):
        return None


class Sampler(threading.Thread):
    """Twice a second: does each DataNode's web server answer, and how many
    seconds ago did the NameNode last hear from it (None when unknown)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.urls = dict((dn, 'http://%s:9864/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo'
                          % address(dn.split('.')[0])) for dn in DATANODES)
        self.namenode = 'http://%s:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo' % address(MASTER)
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            at = time.time()
            bean = (get_json(self.namenode) or {}).get('beans') or [{}]
            try:
                live = json.loads(bean[0].get('LiveNodes') or '{}')
            except ValueError:
                live = {}
            contact = dict((name.split(':')[0], node.get('lastContact')) for name, node in live.items())
            self.samples.append((at, dict((dn, (get_json(url) is not None, contact.get(dn)))
                                          for dn, url in self.urls.items())))
            self.stopped.wait(max(0.0, 0.5 - (time.time() - at)))

    def stop(self):
        self.stopped.set()
        self.join()
        return self.samples


DATANODE_LOG = '/var/log/hadoop/hdfs/hdfs-datanode.log'
REQUEST = 'shutdownDatanode command received'


def shutdown_requests():
    """{DataNode: [epoch seconds of each -shutdownDatanode request it logged]}, from its own log."""
    requests = {}
    for dn in DATANODES:
        lines = on(dn.split('.')[0], "date +%%z; grep -h '%s' %s || true" % (REQUEST, DATANODE_LOG)).splitlines()
        zone = datetime.datetime.strptime(lines[0].strip(), '%z').tzinfo
        for line in lines[1:]:
            stamp = datetime.datetime.strptime(line[:23], '%Y-%m-%d %H:%M:%S,%f').replace(tzinfo=zone)
            requests.setdefault(dn, []).append(stamp.timestamp())
    return requests


def restarts(samples, requests):
    """{DataNode: [restart-to-live seconds, ...]} and the most DataNodes down at one sample. A restart
    runs from the shutdown request the DataNode logged last before its web server stopped answering."""
    times, most_down = {}, 0
    for dn in DATANODES:
        down_at = up_at = None
        for at, states in samples:
            answers, contact = states[dn]
            if down_at is None and not answers:
                down_at = at
            elif down_at is not None and up_at is None and answers:
                up_at = at
            # Heard from after its web server came back: a heartbeat of the new process.
            if up_at is not None and contact is not None and contact <= at - up_at + 1:
                asked = [t for t in requests.get(dn, ()) if down_at - 30 <= t <= down_at]
                if not asked:
                    raise RuntimeError('%s stopped at %.1f without a shutdown request in its log in the 30 s before'
                                       % (dn, down_at))
                times.setdefault(dn, []).append(at - max(asked))
                down_at = up_at = None
    for dummy, states in samples:
        most_down = max(most_down, len([dn for dn, (answers, dummy) in states.items() if not answers]))
    return times, most_down


# profile_tasks: "TASK [role : name] ***" then "<date> (0:00:01.234)       0:01:02.345 ***".
TASK = re.compile(r'^TASK \[(?:[^\]:]+ : )?(.+?)\]')
ELAPSED = re.compile(r'\)\s+(\d+):(\d\d):(\d\d\.\d+)\s')


def task_starts(output):
    """[(task name, seconds since the run started)] in order."""
    starts, name = [], None
    for line in output.splitlines():
        found = TASK.match(line)
        if found:
            name = found.group(1)
            continue
        elapsed = ELAPSED.search(line)
        if name and elapsed:
            hours, minutes, seconds = elapsed.groups()
            starts.append((name, int(hours) * 3600 + int(minutes) * 60 + float(seconds)))
            name = None
    return starts


# The steps of a batch whose times are shown; the rest of a batch is the
# other tasks (the include of the batch, the unit's restart and the pending
# record, the reports). A batch's stop waits for the batch before it first
# (its gate); the last batch has a gate of its own.
STEPS = (('stop', 'Stop the batch for a quick restart once the batch before is back'),
         ('start', 'Wait until the daemon is up - datanode'),
         ('gate', 'Wait until the last batch is live and its blocks are back'))


def datanode_phase(output):
    """(seconds of the DataNode batches from the end of the plan to the end of the last batch's report,
    [seconds of each batch], {step: [seconds in each batch]}). A batch runs from the end of the plan
    or the start of its stop to the start of the next batch's stop, or for the last one to the end of
    its report."""
    starts = task_starts(output)
    plans = [i for i, (name, dummy) in enumerate(starts) if name == 'Show the plan']
    stops = [i for i, (name, dummy) in enumerate(starts) if name == STEPS[0][1]]
    # The output lists a skipped task too: each batch has the last batch's tasks.
    last = [i for i, (name, dummy) in enumerate(starts) if name == 'Report the last batch'][-1:]
    if len(plans) != 1 or not stops or not last or stops[0] < plans[0] or last[0] + 1 >= len(starts):
        raise RuntimeError('no DataNode batches in the run:\n%s' % output[-3000:])
    bounds = [plans[0] + 1] + stops[1:] + [last[0] + 1]
    ends = [starts[i][1] for i in bounds]
    batches = [end - begin for begin, end in zip(ends, ends[1:])]
    steps = dict((step, []) for step, dummy in STEPS)
    for begin, end in zip(bounds, bounds[1:]):
        for i in range(begin, end):
            for step, name in STEPS:
                if starts[i][0] == name:
                    steps[step].append(starts[i + 1][1] - starts[i][1])
    # The gate of a batch before the last is part of the next batch's stop.
    steps['gate'] = [0.0] * (len(batches) - 1) + steps['gate'][-1:]
    return ends[-1] - ends[0], batches, steps


def client_ops():
    """[(start, end, op, status)] of the client's operations (molecule/common/workload.py's client: a line
    per operation, "<end> put|cat <n> ok|FAILED <seconds it took>")."""
    lines = [fields for fields in workload.load_log(MASTER, 'ops.log') if len(fields) == 5]
    return [(float(end) - float(took), float(end), op, status) for end, op, dummy, status, took in lines]


def roll(inventory, extra=()):
    """One rolling restart of every DataNode under the client load."""
    sampler = Sampler()
    sampler.start()
    started = time.time()
    try:
        seconds, output = playbook(os.path.join(HERE, 'playbooks', 'rolling_restart.yml'), inventory,
                                   extra=('{"hadoop_restart_daemons": ["datanode"]}',) + tuple(extra),
                                   env_extra={'ANSIBLE_CALLBACKS_ENABLED': 'ansible.posix.profile_tasks'})
    finally:
        samples = sampler.stop()
    phase, batches, steps = datanode_phase(output)
    times, most_down = restarts(samples, shutdown_requests())
    missing = [dn for dn in DATANODES if len(times.get(dn, ())) != 1]
    if missing:
        raise RuntimeError('not seen restarted exactly once: %s (%s)' % (missing, times))
    ops = [op for op in client_ops() if op[0] >= started]
    flat = ' '.join(output.split())
    plan = re.search(r'in (\d+) batch\(es\), ([^."]+)', flat)
    gates = [float(waited) for waited in
             re.findall(r'DataNode batch \d+/\d+ \([^)]*\) back \(the gate waited ([\d.]+) s\)', flat)]
    return {'run': seconds, 'phase': phase, 'batches': batches, 'rule': plan.group(2) if plan else '?', 'gates': gates,
            'steps': steps,
            'restart_to_live': dict((dn, t[0]) for dn, t in times.items()), 'most_down': most_down,
            'ops': len(ops), 'failed': len([op for op in ops if op[3] != 'ok']),
            'longest': max([op[1] - op[0] for op in ops] or [0])}


def measure():
    """The section's numbers; the containers are removed afterwards."""
    containers = os.path.join(HERE, 'tools', 'sandbox')
    playbook(os.path.join(containers, 'containers_absent.yml'), extra=[CONTAINERS_VARS])
    try:
        playbook(os.path.join(containers, 'containers.yml'), extra=[CONTAINERS_VARS])
        inventory = topology(tempfile.mkdtemp(prefix='datafleet-bench-rolling-'))
        install = playbook(os.path.join(HERE, 'site.yml'), inventory)[0]
        # 64 blocks of 8 MiB, each on both racks, for the gates to count.
        on(MASTER, 'head -c 536870912 /dev/urandom > /tmp/bench.bin && HADOOP_USER_NAME=hdfs java -Xmx256m -cp "%s" '
                   'org.apache.hadoop.fs.FsShell -D dfs.blocksize=8388608 -put -f /tmp/bench.bin /tmp/bench.bin '
                   '&& rm /tmp/bench.bin' % workload.HADOOP_CP)
        client = workload.start_client(MASTER)
        try:
            by_rack = roll(inventory)
            by_host = roll(inventory, extra=('hdfs_datanode_batch_size=1',))
        finally:
            workload.stop_load(MASTER, client)
    finally:
        playbook(os.path.join(containers, 'containers_absent.yml'), extra=[CONTAINERS_VARS])
    return {'install': install, 'by_rack': by_rack, 'by_host': by_host}


def section(numbers):
    by_rack, by_host = numbers['by_rack'], numbers['by_host']

    def seconds(values):
        return ', '.join('%.1f' % v for v in values) + ' s'

    live = by_host['restart_to_live']
    ratio = by_host['phase'] / sum(live.values())
    steps = by_host['steps']
    other = [b - sum(step[i] for step in steps.values()) for i, b in enumerate(by_host['batches'])]
    return [
        '## Rolling restarts', '',
        'Measured on %s by tools/benchmark_rolling.py (`--rolling-only`).' % datetime.date.today().isoformat(),
        'Four containers: the sandbox\'s master and three workers (DataNode + NodeManager), dr-worker1 and',
        'dr-worker2 in /rack1, dr-worker3 in /rack2, replication 2, converged in %.0f s, with a 512 MiB' % numbers['install'],
        'file in 8 MiB blocks. `playbooks/rolling_restart.yml` restarts every DataNode twice: first in the',
        'derived batches ("%s", as the plan said), then one DataNode at a time' % by_rack['rule'],
        '(`hdfs_datanode_batch_size=1`). Meanwhile a client on the master writes a new file and reads it',
        'back, comparing the bytes, once a second (molecule/common/RollingClient.java: one JVM on Hadoop\'s',
        'FileSystem API, as an application is). A DataNode\'s restart-to-live time runs from the DataNode',
        'logging the shutdown request (`shutdownDatanode command received`, in its own log) to the NameNode',
        'hearing from the new process (sampled every 0.5 s): the DataNode\'s own stop, the start of its unit and',
        'its registration. It leaves out what the rolling restart adds: the start of the stop task, the gate',
        'of the batch before and the guard before the request (one IPC call, no JVM); the end of the',
        'readiness check and the report after the NameNode hears from it, and the last batch\'s gate. The DataNode',
        'phase runs from the end of the plan to the end of the last batch\'s report (task start',
        'times from ansible.posix.profile_tasks).', '',
        '| Measure | Result | Goal |', '|---|---|---|',
        '| One DataNode at a time: DataNode phase / sum of the restart-to-live times | %.0f s / %.0f s = %.2f x | '
        '<= %.1f x |' % (by_host['phase'], sum(live.values()), ratio, GOAL_RATIO),
        '| Restart-to-live of each DataNode (one at a time) | %s | |' % seconds(live[dn] for dn in sorted(live)),
        '| One DataNode at a time: each batch | %s | |' % seconds(by_host['batches']),
        '| ... of which the stop (the gate of the batch before, the guard, the shutdown request, until the IPC '
        'port closes) | %s | |' % seconds(steps['stop']),
        '| ... the start until the readiness check passes | %s | |' % seconds(steps['start']),
        '| ... the last batch\'s own gate (live at the NameNode, blocks back) | %s | |' % seconds(steps['gate'][-1:]),
        '| ... the other tasks of the batch | %s | |' % seconds(other),
        '| Two racks: batches (%d DataNodes) | %d: %s | as many as racks |'
        % (len(DATANODES), len(by_rack['batches']), seconds(by_rack['batches'])),
        '| DataNode phase: two racks; one DataNode at a time | %.0f s; %.0f s | |' % (by_rack['phase'], by_host['phase']),
        '| Most DataNodes down at one sample: two racks; one at a time | %d; %d | the batch size |'
        % (by_rack['most_down'], by_host['most_down']),
        '| rolling_restart.yml, whole run (validation and every role, most of it with nothing to do): two racks; '
        'one at a time | %.0f s; %.0f s | |' % (by_rack['run'], by_host['run']),
        '| Client operations failed during the two runs | %d of %d | 0 |'
        % (by_rack['failed'] + by_host['failed'], by_rack['ops'] + by_host['ops']),
        '| Longest client operation during the two runs | %.1f s | |' % max(by_rack['longest'], by_host['longest']),
        '',
    ]
