"""A rolling upgrade of the HA sandbox, for tools/benchmark.py.

The five containers of `make sandbox-ha` (tools/sandbox/ha.yml) are made anew
and converged with Hadoop OLD; a client (molecule/common/RollingClient.java,
one JVM) on dh-master3 writes a new file through the nameservice once a
second and reads it back. Then upgrade.yml takes the cluster to NEW (not
finalized); each phase's time is the one the playbook's own "Phase done"
lines report (the staging of NEW, the preparation of HDFS's rolling upgrade,
the JournalNodes, the NameNodes, the DataNodes, the ResourceManagers, the
NodeManagers, the history servers); the rest of the run is the checks before
and after. The client's failed operations and its longest operation are
counted over the whole upgrade. The containers are removed at the end.
"""
import datetime
import os
import re
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
PHASE = re.compile(r'Phase done: (.+?) in (\d+) s')


def upgrade_phases():
    """Seconds of each phase of one upgrade.yml run, as its own "Phase done" lines say, and the whole run."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')
    argv = ['ansible-playbook', '-i', benchmark_ha.INVENTORY, os.path.join(HERE, 'playbooks', 'upgrade.yml'),
            '-e', 'hadoop_version=%s' % NEW]
    started = time.monotonic()
    run = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=HERE,
                         check=False)
    total = time.monotonic() - started
    if run.returncode != 0:
        raise RuntimeError('upgrade.yml failed:\n%s' % run.stdout[-4000:])
    # The lines are YAML-quoted in the output: HDFS's is printed HDFS''s.
    phases = [(name.replace("''", "'"), int(seconds)) for name, seconds in PHASE.findall(run.stdout)]
    if not phases:
        raise RuntimeError('upgrade.yml printed no phase line:\n%s' % run.stdout[-4000:])
    rest = total - sum(seconds for dummy, seconds in phases)
    return phases + [('the checks before and after, and Ansible\'s start', rest)], total


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
        'Each phase as upgrade.yml\'s own "Phase done" line reports it (from the end of the phase before).', '',
        '| Phase | Seconds |', '|---|---|',
    ] + ['| %s | %.0f |' % (name, seconds) for name, seconds in numbers['phases']] + [
        '| **whole upgrade** | **%.0f** |' % numbers['total'], '',
        '| Client | Result | Goal |', '|---|---|---|',
        '| Operations during the upgrade | %d | |' % numbers['operations'],
        '| Failed operations | %d | 0 |' % numbers['failed'],
        '| Longest operation | %.1f s | |' % numbers['longest'],
        '',
    ]
