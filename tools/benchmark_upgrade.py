"""A rolling upgrade of the HA sandbox, for tools/benchmark.py.

The five containers of `make sandbox-ha` (tools/sandbox/ha.yml) are made anew
and converged with Hadoop OLD; a client (molecule/common/RollingClient.java,
one JVM) on dh-master3 writes a new file through the nameservice once a
second and reads it back. Then upgrade.yml takes the cluster to NEW (not
finalized); each phase is timed from the upgrade's own progress lines, read
as they come: the checks and the staging of NEW, the preparation of HDFS's
rolling upgrade, the JournalNodes, the NameNodes, the DataNodes, the
ResourceManagers, the NodeManagers and what follows (the history servers, the
final check). The client's failed operations and its longest operation are
counted over the whole upgrade. The containers are removed at the end.
"""
import datetime
import os
import subprocess
import sys
import time

import benchmark_ha

HERE = benchmark_ha.HERE
sys.path.insert(0, os.path.join(HERE, 'molecule', 'common'))
import workload  # noqa: E402  pylint: disable=wrong-import-position

OLD = '3.4.2'
NEW = '3.5.0'
CLIENT = 'dh-master3'
# The first line of each phase in upgrade.yml's output, in order.
PHASES = (
    ('checks and staging of the new version', 'Read where the upgrade stands'),
    ("HDFS's rolling upgrade prepared (rollback image)", "TASK [datafleet.hadoop.hdfs_namenode : Prepare HDFS's rolling upgrade"),
    ('JournalNodes, one at a time', 'Restart the JournalNodes one at a time'),
    ('NameNodes, standby first, with a failover', 'Restart the NameNodes one at a time'),
    ('DataNodes, in batches', 'Plan the rolling restart of the DataNodes'),
    ('ResourceManagers, standby first', 'Restart the ResourceManagers one at a time'),
    ('NodeManagers, in batches', 'Restart the NodeManagers'),
    ('history servers and the final check', 'Run the MapReduce history server'),
)


def upgrade_phases():
    """Seconds of each phase of one upgrade.yml run, and the whole run."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')
    argv = ['ansible-playbook', '-i', benchmark_ha.INVENTORY, os.path.join(HERE, 'playbooks', 'upgrade.yml'),
            '-e', 'hadoop_version=%s' % NEW]
    started = time.monotonic()
    marks = {}
    lines = []
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=HERE) as run:
        for line in run.stdout:
            lines.append(line)
            for name, marker in PHASES:
                if name not in marks and marker in line:
                    marks[name] = time.monotonic() - started
    total = time.monotonic() - started
    if run.returncode != 0:
        raise RuntimeError('upgrade.yml failed:\n%s' % ''.join(lines)[-4000:])
    missing = [name for name, dummy in PHASES if name not in marks]
    if missing:
        raise RuntimeError('upgrade.yml printed no line for %s' % ', '.join(missing))
    starts = [marks[name] for name, dummy in PHASES] + [total]
    return [(name, starts[i + 1] - starts[i]) for i, (name, dummy) in enumerate(PHASES)], total


def measure():
    """The upgrade section's numbers; the containers are removed afterwards."""
    containers = os.path.join(HERE, 'tools', 'sandbox')
    playbook = benchmark_ha.playbook
    playbook(os.path.join(containers, 'containers_absent.yml'), extra=[benchmark_ha.CONTAINERS_VARS])
    try:
        playbook(os.path.join(containers, 'containers.yml'), extra=[benchmark_ha.CONTAINERS_VARS])
        playbook(os.path.join(HERE, 'site.yml'), benchmark_ha.INVENTORY, extra=['hadoop_version=%s' % OLD])
        client = workload.start_client(CLIENT)
        try:
            phases, total = upgrade_phases()
        finally:
            workload.stop_load(CLIENT, client)
        operations = workload.load_log(CLIENT, 'ops.log')
        failed, dummy = workload.failed_operations(CLIENT)
    finally:
        playbook(os.path.join(containers, 'containers_absent.yml'), extra=[benchmark_ha.CONTAINERS_VARS])
    return {'phases': phases, 'total': total, 'operations': len(operations), 'failed': len(failed),
            'longest': max(float(op[4]) for op in operations if len(op) > 4)}


def section(numbers):
    return [
        '## Rolling upgrade', '',
        'Measured on %s.' % datetime.date.today().isoformat(),
        'The five containers of `make sandbox-ha` (three masters, two workers, replication 2), converged with',
        'Hadoop %s, upgraded to %s by `playbooks/upgrade.yml` (not finalized) while a client on %s wrote a' % (OLD, NEW, CLIENT),
        'new file through the nameservice once a second and read it back (one JVM, Hadoop\'s FileSystem API).',
        'Each phase runs from the first progress line of its step to the first of the next one.', '',
        '| Phase | Seconds |', '|---|---|',
    ] + ['| %s | %.0f |' % (name, seconds) for name, seconds in numbers['phases']] + [
        '| **whole upgrade** | **%.0f** |' % numbers['total'], '',
        '| Client | Result | Goal |', '|---|---|---|',
        '| Operations during the upgrade | %d | |' % numbers['operations'],
        '| Failed operations | %d | 0 |' % numbers['failed'],
        '| Longest operation | %.1f s | |' % numbers['longest'],
        '',
    ]
