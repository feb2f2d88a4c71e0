# -*- coding: utf-8 -*-
"""Rolling restarts of the highly available cluster test_workers_ha.py made
(two NameNodes and ResourceManagers, three ZooKeeper servers and
JournalNodes, four DataNodes and NodeManagers), under load.

pytest runs this module after test_workers_ha.py. A client writes and reads
HDFS through the nameservice and a Spark job with a shuffle runs while
playbooks/rolling_restart.yml restarts every daemon. A DataNode of the next
batch is killed (and kept down) while the first batch restarts: the run
stops at that batch's gate naming it, before any later batch. Once that
DataNode runs again, site.yml finishes the restarts the stopped run left
recorded. Samplers outside the collection check that no more DataNodes than
a batch were down at once, apart from the killed one, and that there was
never more than one active NameNode or ResourceManager, nor none for long.
A last run of site.yml changes and restarts nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import tempfile
import time

from conftest import MASTER_CONTAINER, SCENARIO, load, run_playbook, start_playbook
import workload

HA = os.path.join(SCENARIO, 'inventory-ha')
GROUPS, CONTAINERS, _HOSTVARS = load(HA)
DATANODES = GROUPS['datanodes']
UNITS = ('zookeeper-server', 'hadoop-hdfs-journalnode', 'hadoop-hdfs-namenode', 'hadoop-hdfs-zkfc',
         'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager', 'hadoop-yarn-nodemanager',
         'hadoop-mapreduce-historyserver', 'spark-history-server')
# The longest time without an active NameNode or ResourceManager the samplers
# may see: a graceful failover takes a few seconds; a ResourceManager that
# stops hands over through ZooKeeper, and the other recovers the applications.
NO_ACTIVE_LIMIT = 60
# One DataNode per batch, whatever the racks: a rack of three restarting
# beside the killed DataNode would leave HDFS without a DataNode.
ONE_PER_BATCH = {'hdfs_datanode_batch_size': 1}


# A DataNode killed and held down: a runtime drop-in stops systemd from
# restarting or starting it (a runtime mask does not override a unit in
# /etc/systemd/system), as for a host whose DataNode keeps crashing.
HOLD_DOWN = r'''
set -e
mkdir -p /run/systemd/system/hadoop-hdfs-datanode.service.d
printf '[Service]\nRestart=no\nExecStartPre=/bin/false\n' > /run/systemd/system/hadoop-hdfs-datanode.service.d/held-down.conf
systemctl daemon-reload
systemctl kill -s KILL hadoop-hdfs-datanode
'''
RELEASE = r'''
set -e
rm -rf /run/systemd/system/hadoop-hdfs-datanode.service.d
systemctl daemon-reload
systemctl start hadoop-hdfs-datanode
'''


def on(host, script):
    return subprocess.run(['docker', 'exec', CONTAINERS[host], 'bash', '-c', script],
                          capture_output=True, text=True, check=False)


def start_times():
    """{(host, unit): the start time of its main process} for every daemon running on the cluster."""
    times = {}
    for host in sorted(CONTAINERS):
        out = on(host, 'systemctl show -p Id -p ExecMainStartTimestampMonotonic %s'
                 % ' '.join(unit + '.service' for unit in UNITS)).stdout
        for block in out.strip().split('\n\n'):
            props = dict(line.split('=', 1) for line in block.splitlines() if '=' in line)
            if props.get('ExecMainStartTimestampMonotonic', '0') != '0':
                times[(host, props['Id'][:-len('.service')])] = props['ExecMainStartTimestampMonotonic']
    return times


def restarted(before, after):
    return sorted(key for key in before if after.get(key) != before[key])


def datanode_batches(log):
    """The DataNode batches of a run, in order, as its output lists them."""
    return [item.split(', ') for item in
            re.findall(r'included: \S+/hdfs_datanode/tasks/batch\.yml for .*? => \(item=([^)]*)\)', log)]


def read(path):
    with open(path) as handle:
        return handle.read()


def test_a_rolling_restart_stops_at_a_killed_datanode_and_site_yml_finishes_it_under_load():
    before = start_times()
    assert len([key for key in before if key[1] == 'hadoop-hdfs-datanode']) == len(DATANODES) >= 3, before
    client = workload.start_load(MASTER_CONTAINER, DATANODES, GROUPS['zookeepers'], GROUPS['namenodes'],
                                 GROUPS['resourcemanagers'])
    job, killed, batches = None, None, []
    try:
        job = workload.submit_shuffle_job(MASTER_CONTAINER, GROUPS['resourcemanagers'])
        # The run's output stays in a file of its own, for a failure's reader.
        handle, path = tempfile.mkstemp(prefix='rolling-restart-', suffix='.log')
        with os.fdopen(handle, 'w') as log:
            run = start_playbook('rolling_restart.yml', HA, log, ONE_PER_BATCH)
        # Once the first batch of DataNodes stops, a DataNode of the next
        # batch is killed, and systemd may not start it again.
        deadline = time.time() + 1800
        while run.poll() is None and time.time() < deadline:
            text = read(path)
            batches = datanode_batches(text)
            if len(batches) > 1 and 'Stop the batch for a quick restart' in text:
                killed = batches[1][0]
                result = on(killed, HOLD_DOWN)
                assert result.returncode == 0, result.stdout + result.stderr
                break
            time.sleep(1)
        run.wait(timeout=max(deadline - time.time(), 60))
        stopped = ' '.join(read(path).split())
        after_stop = start_times()

        assert killed, 'the run reached no second DataNode batch (%s): %s' % (path, stopped[-3000:])
        assert run.returncode != 0, stopped[-3000:]
        assert re.search(r'DataNodes outside the batch have sent no heartbeat for \d+ s or more \(stopped or hung\): '
                         + re.escape(killed), stopped), stopped[-3000:]
        first = batches[0]
        # Everything before the DataNodes and the first batch restarted; no
        # later batch and nothing after the DataNodes did.
        early = ('zookeeper-server', 'hadoop-hdfs-journalnode', 'hadoop-hdfs-namenode', 'hadoop-hdfs-zkfc')
        expected = sorted(key for key in before if key[1] in early
                          or (key[1] == 'hadoop-hdfs-datanode' and key[0] in first))
        assert restarted(before, after_stop) == expected, (batches, killed)

        result = on(killed, RELEASE)
        assert result.returncode == 0, result.stdout + result.stderr
        finish = run_playbook('site.yml', HA, ONE_PER_BATCH)
        assert finish.returncode == 0, finish.stdout[-5000:]
        during = workload.shuffle_app(MASTER_CONTAINER, GROUPS['resourcemanagers'])
    finally:
        if killed:
            on(killed, RELEASE)
        workload.stop_load(MASTER_CONTAINER, client)
        job_rc, job_output = workload.stop_shuffle_job(MASTER_CONTAINER, job) if job else (None, '')

    # Every daemon restarted once over both runs: the first batch, the
    # daemons before the DataNodes and the killed DataNode are not restarted
    # again by the second run.
    after = start_times()
    assert restarted(before, after) == sorted(before)
    assert restarted(after_stop, after) == sorted(key for key in before if key not in expected)
    later = datanode_batches(finish.stdout)
    assert sorted(host for batch in later for host in batch) == sorted(set(DATANODES) - set(first)), later
    assert not re.search(r'(NameNode host|ZooKeeper server|JournalNode) \d+/', finish.stdout), finish.stdout[-3000:]

    # The job ran through both runs and succeeded; the client saw no failure.
    assert during['state'] == 'RUNNING', during
    assert job_rc == 0, job_output[-3000:]
    final = workload.shuffle_app(MASTER_CONTAINER, GROUPS['resourcemanagers'])
    assert final['finalStatus'] == 'SUCCEEDED', final
    assert workload.shuffle_rounds(MASTER_CONTAINER), job_output[-3000:]
    failed, errors = workload.failed_operations(MASTER_CONTAINER)
    assert not failed, 'client operations failed: %s\n%s' % (failed, errors)

    # At no moment were DataNodes of two batches down, leaving out the killed
    # one; each of them was seen down.
    dn_samples = workload.samples(MASTER_CONTAINER, 'dn.log', len(DATANODES))
    down = [set(dn for dn, state in sample.items() if state == 'down' and dn != killed)
            for when, sample in dn_samples]
    assert all(any(hosts <= set(batch) for batch in batches + later) for hosts in down), \
        ([sorted(hosts) for hosts in down if len(hosts) > 1], batches, later)
    assert set(dn for hosts in down for dn in hosts) == set(DATANODES) - {killed}, len(dn_samples)

    # Never two active NameNodes or ResourceManagers, and never none for long.
    ha_samples = workload.samples(MASTER_CONTAINER, 'ha.log', len(GROUPS['namenodes']) + len(GROUPS['resourcemanagers']))
    assert len(ha_samples) > 100, len(ha_samples)
    for kind, active in (('namenode', 'active'), ('resourcemanager', 'ACTIVE')):
        counts = [(at, [name for name, state in sample.items() if name.startswith(kind + ':') and state == active])
                  for at, sample in ha_samples]
        assert all(len(names) <= 1 for when, names in counts), [c for c in counts if len(c[1]) > 1]
        gap, since = 0, None
        for at, names in counts:
            since = (since or at) if not names else None
            gap = max(gap, at - since if since else 0)
        assert gap <= NO_ACTIVE_LIMIT, '%s: no active one for %.0f s' % (kind, gap)
        # The active one changed: the standby took over before the active one restarted.
        assert len(set(tuple(names) for when, names in counts if names)) >= 2, kind


def test_a_run_after_the_rolling_restart_changes_and_restarts_nothing():
    before = start_times()
    again = run_playbook('site.yml', HA)
    assert again.returncode == 0, again.stdout[-3000:]
    recap = [line for line in again.stdout.splitlines() if ' : ok=' in line]
    assert len(recap) == len(CONTAINERS) + 1 and all('changed=0 ' in line for line in recap), '\n'.join(recap)
    assert start_times() == before
