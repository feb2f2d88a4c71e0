"""High availability on the HA sandbox, for tools/benchmark.py.

The five containers of `make sandbox-ha` (tools/sandbox/ha.yml) are made anew
and converged without HA first: the HA sandbox's topology without JournalNodes,
ZooKeeper and the second NameNode and ResourceManager (dh-master1 runs the
NameNode and ResourceManager alone), and the service check runs on it. Then:

1. convert_to_ha.yml with inventories/sandbox-ha: its wall time, and how long
   HDFS was unavailable as the playbook reports it (checkpoint to election);
2. NameNode failover, ROUNDS times: a client on dh-worker1 writes a new file
   through the nameservice in a loop (FsShell, a fresh JVM per write); the
   active NameNode is killed (SIGKILL); measured from the kill to the other
   NameNode reporting active (JMX) and to the client's first write completed
   after the kill. The killed NameNode (restarted by systemd) rejoins as
   standby before the next round;
3. ResourceManager failover, ROUNDS times: SIGKILL of the active one, measured
   to the other one answering /ws/v1/cluster/info with haState ACTIVE.

The containers are removed at the end.
"""
import datetime
import json
import os
import re
import subprocess
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY = os.path.join(HERE, 'inventories', 'sandbox-ha')
CONTAINERS_VARS = '@' + os.path.join(HERE, 'tools', 'sandbox', 'ha.yml')
NAMENODES = ('dh-master1.dfsandboxha', 'dh-master2.dfsandboxha')
RESOURCEMANAGERS = NAMENODES
CLIENT = 'dh-worker1'
NAMESERVICE = 'sandboxha'
ROUNDS = 3
GOAL_SECONDS = 15
CONVERT_GOAL_SECONDS = 120
HA_ONLY_SERVICES = ('journalnode', 'zookeeper')

# One write per line of ops.log: "<epoch seconds> ok|FAILED".
WRITER = r'''
set -u
cd %(dir)s
cp=/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:/opt/hadoop/current/share/hadoop/common/lib/*
cp=$cp:/opt/hadoop/current/share/hadoop/hdfs/*:/opt/hadoop/current/share/hadoop/hdfs/lib/*
i=0
while [ ! -e stop ]; do
  i=$((i + 1))
  if java -Xmx128m -cp "$cp" org.apache.hadoop.fs.FsShell -put -f /etc/hostname hdfs://%(ns)s/tmp/bench-ha-$i \
      2>> err.log; then echo "$(date +%%s.%%N) ok" >> ops.log; else echo "$(date +%%s.%%N) FAILED" >> ops.log; fi
done
'''
WRITER_DIR = '/tmp/bench-ha'


def on(container, script, check=True):
    proc = subprocess.run(['docker', 'exec', container, 'bash', '-c', script], capture_output=True, text=True,
                          check=False)
    if check and proc.returncode != 0:
        raise RuntimeError('%s: %s' % (container, (proc.stdout + proc.stderr)[-2000:]))
    return proc.stdout


def playbook(path, inventory=None, extra=(), env_extra=None):
    """Seconds and output of one ansible-playbook run; a failed run stops the benchmark."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default', **(env_extra or {}))
    argv = ['ansible-playbook', path] + (['-i', inventory] if inventory else [])
    for value in extra:
        argv += ['-e', value]
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=HERE, check=False)
    if proc.returncode != 0:
        raise RuntimeError('%s failed:\n%s' % (path, (proc.stdout + proc.stderr)[-4000:]))
    return time.monotonic() - started, proc.stdout


def without_ha(target):
    """The HA sandbox's topology without HA, in target/cluster.yml: each host keeps its other services."""
    with open(os.path.join(INVENTORY, 'cluster.yml')) as handle:
        topology = yaml.safe_load(handle)
    topology['cluster'].pop('high_availability')
    profiles = topology['profiles']
    for profile in profiles.values():
        profile['services'] = [s for s in profile['services'] if s not in HA_ONLY_SERVICES]
    hosts = topology['hosts']
    pattern = [name for name in hosts if name.startswith('dh-master[')][0]
    del hosts[pattern]
    hosts[NAMENODES[0]] = {'profile': 'master'}
    with open(os.path.join(target, 'cluster.yml'), 'w') as handle:
        yaml.safe_dump(topology, handle)
    return target


def namenode_state(host):
    out = on(host.split('.')[0], 'curl -sS --max-time 2 "http://%s:9870/jmx?qry=Hadoop:service=NameNode,'
             'name=NameNodeStatus"' % host, check=False)
    found = re.search(r'"State" : "(\w+)"', out)
    return found.group(1) if found else None


def namenode_in_safemode(host):
    """True while the NameNode is in safe mode (a restarted one stays in it for the 30 s extension)."""
    out = on(host.split('.')[0], 'curl -sS --max-time 2 "http://%s:9870/jmx?qry=Hadoop:service=NameNode,'
             'name=NameNodeInfo"' % host, check=False)
    try:
        return bool(json.loads(out)['beans'][0]['Safemode'])
    except (ValueError, KeyError, IndexError):
        return True


def resourcemanager_state(host):
    out = on(host.split('.')[0], 'curl -sS --max-time 2 http://%s:8088/ws/v1/cluster/info' % host, check=False)
    try:
        return json.loads(out)['clusterInfo']['haState']
    except (ValueError, KeyError):
        return None


def wait(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError('timed out after %d s waiting for %s' % (timeout, what))
        time.sleep(interval)


def kill(host, unit):
    on(host.split('.')[0], 'systemctl kill -s KILL %s.service' % unit)
    return time.time()


def writes():
    lines = on(CLIENT, 'cat %s/ops.log 2>/dev/null' % WRITER_DIR, check=False).split('\n')
    return [(float(t), status) for t, status in (line.split() for line in lines if line.strip())]


def namenode_round():
    """(seconds to the other NameNode active, seconds to the first write after the kill, failed writes)."""
    active = wait(lambda: [h for h in NAMENODES if namenode_state(h) == 'active'], 120, 'an active NameNode')[0]
    other = [h for h in NAMENODES if h != active][0]
    # A standby restarted by the round before stays in safe mode for the extension: made active then, it
    # would refuse writes until the extension ends.
    wait(lambda: namenode_state(other) == 'standby' and not namenode_in_safemode(other), 180,
         'the other NameNode as standby out of safe mode')
    on(CLIENT, 'rm -rf %(d)s && mkdir -p %(d)s' % {'d': WRITER_DIR})
    client = subprocess.Popen(['docker', 'exec', CLIENT, 'bash', '-c', WRITER % {'dir': WRITER_DIR, 'ns': NAMESERVICE}],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(lambda: len(writes()) >= 3, 120, 'the client to write before the kill', interval=1)
        killed_at = kill(active, 'hadoop-hdfs-namenode')
        wait(lambda: namenode_state(other) == 'active', 120, 'the standby to become active')
        active_after = time.time() - killed_at
        first = wait(lambda: [t for t, status in writes() if t > killed_at and status == 'ok'], 180,
                     'a write after the kill', interval=0.5)[0]
    finally:
        on(CLIENT, 'touch %s/stop' % WRITER_DIR, check=False)
        client.wait(timeout=120)
    failed = len([1 for t, status in writes() if status != 'ok'])
    wait(lambda: namenode_state(active) == 'standby', 300, 'the killed NameNode to rejoin as standby', interval=1)
    return active_after, first - killed_at, failed


def resourcemanager_round():
    active = wait(lambda: [h for h in RESOURCEMANAGERS if resourcemanager_state(h) == 'ACTIVE'], 120,
                  'an active ResourceManager')[0]
    other = [h for h in RESOURCEMANAGERS if h != active][0]
    wait(lambda: resourcemanager_state(other) == 'STANDBY', 180, 'the other ResourceManager as standby')
    killed_at = kill(active, 'hadoop-yarn-resourcemanager')
    wait(lambda: resourcemanager_state(other) == 'ACTIVE', 120, 'the standby ResourceManager to become active')
    seconds = time.time() - killed_at
    wait(lambda: resourcemanager_state(active) == 'STANDBY', 300, 'the killed ResourceManager to rejoin as standby',
         interval=1)
    return seconds


def measure():
    """The HA section's numbers; the containers are removed afterwards."""
    containers = os.path.join(HERE, 'tools', 'sandbox')
    playbook(os.path.join(containers, 'containers_absent.yml'), extra=[CONTAINERS_VARS])
    try:
        playbook(os.path.join(containers, 'containers.yml'), extra=[CONTAINERS_VARS])
        before = without_ha(tempfile.mkdtemp(prefix='datafleet-bench-ha-'))
        install, dummy = playbook(os.path.join(HERE, 'site.yml'), before)
        # Data and a finished application for the conversion to keep.
        playbook(os.path.join(HERE, 'playbooks', 'service_check.yml'), before)
        convert, output = playbook(os.path.join(HERE, 'playbooks', 'convert_to_ha.yml'), INVENTORY)
        unavailable = re.search(r'HDFS was unavailable for (\d+) s', ' '.join(output.split()))
        rounds = [namenode_round() for dummy in range(ROUNDS)]
        rm_rounds = [resourcemanager_round() for dummy in range(ROUNDS)]
    finally:
        playbook(os.path.join(containers, 'containers_absent.yml'), extra=[CONTAINERS_VARS])
    return {'install': install, 'convert': convert,
            'unavailable': int(unavailable.group(1)) if unavailable else None,
            'namenode': rounds, 'resourcemanager': rm_rounds}


def section(numbers):
    def span(values):
        return '%.1f s (%s)' % (max(values), ', '.join('%.1f' % v for v in values))

    rounds = numbers['namenode']
    unavailable = numbers['unavailable']
    return [
        '## High availability', '',
        'Measured on %s.' % datetime.date.today().isoformat(),
        'The five containers of `make sandbox-ha` (three masters, two workers), first converged without HA',
        '(%.0f s; dh-master1 runs the NameNode and ResourceManager), then made highly available with' % numbers['install'],
        '`playbooks/convert_to_ha.yml`. Failovers are a SIGKILL of the active daemon (systemd restarts it and',
        'it rejoins as standby, out of safe mode, before the next round), %d rounds each; the worst round is' % ROUNDS,
        'the result, the rounds in brackets. A killed NameNode\'s failover controller keeps running: its health',
        'check (every second) finds the NameNode gone and it leaves the election at once, so the other one takes',
        'over without waiting for a ZooKeeper session to expire. A killed ResourceManager takes its',
        'embedded elector with it: the other one wins once the dead one\'s ZooKeeper session expires',
        '(10 s, Hadoop\'s default, which the collection keeps; docs/ha.md).',
        'The client is FsShell on dh-worker1 writing through hdfs://%s, a fresh JVM per write, so the' % NAMESERVICE,
        'time to the first write includes a JVM start.', '',
        '| Measure | Result | Goal |', '|---|---|---|',
        '| convert_to_ha.yml, whole run | %.0f s | |' % numbers['convert'],
        '| HDFS unavailable during the conversion (checkpoint to election, as the playbook reports it) | %s | '
        '<= %d s |' % ('%d s' % unavailable if unavailable is not None else 'not reported', CONVERT_GOAL_SECONDS),
        '| NameNode SIGKILL to the other one active (JMX) | %s | |' % span([r[0] for r in rounds]),
        '| NameNode SIGKILL to the first client write completed through the nameservice | %s | <= %d s |'
        % (span([r[1] for r in rounds]), GOAL_SECONDS),
        '| Client writes that failed during the NameNode failovers | %d | 0 |' % sum(r[2] for r in rounds),
        '| ResourceManager SIGKILL to the other one serving /ws/v1/cluster/info as ACTIVE | %s | <= %d s |'
        % (span(numbers['resourcemanager']), GOAL_SECONDS),
        '',
    ]
