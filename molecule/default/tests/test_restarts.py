# -*- coding: utf-8 -*-
"""A configuration change restarts only the daemons that read the changed
file (yarn-site.xml, zoo.cfg, the logging configuration) or whose settings
changed, DataNodes and NodeManagers one batch at a time and ZooKeeper servers
one at a time (the leader last), while a client writes and reads HDFS without
a failed operation and a Spark job with a shuffle keeps running; a later run
changes and restarts nothing; the log level reaches the daemons; a daemon
that cannot start fails the run with its log lines, and the next run
finishes the restarts the failed one left pending; a queue added to
capacity-scheduler.xml is reloaded without a restart, and so are properties
of the NameNode and the DataNodes they change while they run (dfsadmin
-reconfig). Changes the cluster: the files after it (test_zookeeper.py) only
read it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import subprocess
import time


from conftest import CONTAINERS, GROUPS, HOSTVARS, INVENTORY_DIR, MASTER, ZOOKEEPERS, modes, node, quorum, run_site
import workload

UNITS = {
    'hadoop-hdfs-namenode': False, 'spark-history-server': False,
    # yarn-site.xml is read by these, zoo.cfg by ZooKeeper, and the DataNodes
    # get a JVM option:
    'hadoop-yarn-resourcemanager': True, 'hadoop-yarn-nodemanager': True, 'hadoop-mapreduce-historyserver': True,
    'zookeeper-server': True, 'hadoop-hdfs-datanode': True,
}


def start_times():
    times = {}
    for container in sorted(CONTAINERS.values()):
        for unit in UNITS:
            out = subprocess.run(['docker', 'exec', container, 'systemctl', 'show', '-p',
                                  'ExecMainStartTimestampMonotonic', '--value', unit + '.service'],
                                 capture_output=True, text=True, check=True).stdout.strip()
            if out not in ('', '0'):
                times[(container, unit)] = out
    return times


# A value this run has not seen yet, so the file really changes; every run
# below keeps it, so each test changes only what it says.
YARN_SITE = dict(HOSTVARS[GROUPS['resourcemanagers'][0]]['hadoop_yarn_site'],
                 **{'yarn.log-aggregation.retain-seconds': 604800 + int(time.time()) % 86400})


# A zoo.cfg value no earlier run has set; the log level test below goes back
# to the scenario's zoo.cfg.
ZOO_CFG = {'zookeeper_config': {'maxClientCnxns': 100 + int(time.time()) % 1000}}


# A DataNode JVM option no earlier run has set; every later run keeps it.
DATANODE_OPTIONS = {'hdfs_datanode_jvm_options': ['-Ddatafleet.test.run=%d' % int(time.time())]}
DATANODES = GROUPS['datanodes']
RESOURCEMANAGERS = GROUPS['resourcemanagers']
MASTER_CONTAINER = CONTAINERS[MASTER]


def on_master(command):
    return subprocess.run(['docker', 'exec', CONTAINERS[MASTER], 'bash', '-c', command],
                          capture_output=True, text=True, check=False).stdout


def zoo_cfg_has_the_changed_value(server):
    text = node(server).file('/etc/zookeeper/conf/zoo.cfg').content_string
    return 'maxClientCnxns %d' % ZOO_CFG['zookeeper_config']['maxClientCnxns'] in text


def restarted_units(before, after):
    return sorted(set(unit for key, unit in before if after.get((key, unit)) != before[(key, unit)]))


def test_yarn_zookeeper_and_datanode_settings_restart_only_their_daemons_and_workers_roll():
    before = start_times()
    client = workload.start_load(MASTER_CONTAINER, DATANODES, ZOOKEEPERS)
    job = None
    try:
        job = workload.submit_shuffle_job(MASTER_CONTAINER, RESOURCEMANAGERS)
        result = run_site(INVENTORY_DIR, {'hadoop_yarn_site': YARN_SITE}, ZOO_CFG, DATANODE_OPTIONS)
        # The job ran through every restart of the run.
        during = workload.shuffle_app(MASTER_CONTAINER, RESOURCEMANAGERS)
    finally:
        workload.stop_load(MASTER_CONTAINER, client)
        job_rc, job_output = workload.stop_shuffle_job(MASTER_CONTAINER, job) if job else (None, '')
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    # The shuffle job was still running when the run ended, then finished
    # with every round's sums right.
    assert during['state'] == 'RUNNING', during
    assert job_rc == 0, job_output[-3000:]
    final = workload.shuffle_app(MASTER_CONTAINER, RESOURCEMANAGERS)
    assert final['finalStatus'] == 'SUCCEEDED', final
    assert workload.shuffle_rounds(MASTER_CONTAINER), job_output[-3000:]
    after = start_times()
    assert restarted_units(before, after) == sorted(u for u, reads in UNITS.items() if reads)
    # Every ZooKeeper server restarted with the value, and the ensemble came back.
    assert all(after[(CONTAINERS[s], 'zookeeper-server')] != before[(CONTAINERS[s], 'zookeeper-server')]
               for s in ZOOKEEPERS)
    assert all(zoo_cfg_has_the_changed_value(s) for s in ZOOKEEPERS)
    assert quorum(modes())
    # The ZooKeeper servers restarted one at a time, the leader last: each was
    # out of the quorum once; until the leader stopped (the others then
    # elect a new one) at most one was out at any sample. A server counts as
    # out when two samples in a row found it out (a restart lasts seconds; one
    # probe of a busy server may time out).
    zk_samples = [dict(item.split('=') for item in line.split()[1:]) for line in
                  on_master('cat %s/zk.log' % workload.LOAD_DIR).splitlines() if line.count('=') == len(ZOOKEEPERS)]
    leader = [zk for zk, m in zk_samples[0].items() if m == 'leader']
    assert len(leader) == 1, zk_samples[0]
    seen_out = [set(zk for zk, m in sample.items() if m not in ('leader', 'follower')) for sample in zk_samples]
    out = [sorted(now & later) for now, later in zip(seen_out, seen_out[1:])]
    first_out = {}
    for index, servers in enumerate(out):
        for zk in servers:
            first_out.setdefault(zk, index)
    assert set(first_out) == set(ZOOKEEPERS), 'not every ZooKeeper server was seen out: %s' % first_out
    assert max(first_out, key=first_out.get) == leader[0], (first_out, leader)
    assert all(len(o) <= 1 for o in out[:first_out[leader[0]]]), out

    # The client saw no failure, and went on during the restarts.
    ops = workload.load_log(MASTER_CONTAINER, 'ops.log')
    failed, errors = workload.failed_operations(MASTER_CONTAINER)
    assert not failed, 'client operations failed: %s\n%s' % (failed, errors)
    # Every DataNode went down once (the restart), never two at once: the
    # batch size for two DataNodes and replication 2 is one.
    samples = [dict(item.split('=') for item in line.split()[1:]) for line in
               on_master('cat %s/dn.log' % workload.LOAD_DIR).splitlines() if line.count('=') == len(DATANODES)]
    down = [sorted(dn for dn, state in sample.items() if state == 'down') for sample in samples]
    assert all(len(d) <= 1 for d in down), [d for d in down if len(d) > 1]
    assert set(dn for d in down for dn in d) == set(DATANODES), 'no DataNode was seen down: %d samples' % len(samples)
    first_down = min(float(line.split()[0]) for line in on_master('cat %s/dn.log' % workload.LOAD_DIR).splitlines()
                     if '=down' in line)
    assert len([op for op in ops if float(op[0]) > first_down and op[1] == 'cat']) >= 3, ops[-10:]
    # One progress line per batch.
    assert len(re.findall(r'DataNode batch \d/%d' % len(DATANODES), result.stdout)) == len(DATANODES)
    # That the restarts are done for good (a run after them restarts nothing)
    # is checked once, after the next test's runs.


LOG4J_READERS = ('hadoop-hdfs-namenode', 'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager',
                 'hadoop-yarn-nodemanager', 'hadoop-mapreduce-historyserver')


def served_root_level():
    """The NameNode's effective level of the root logger, as its /logLevel servlet says."""
    page = subprocess.run(['docker', 'exec', CONTAINERS[MASTER], 'curl', '-sS', '-f',
                           'http://%s:9870/logLevel?log=root' % MASTER],
                          capture_output=True, text=True, check=True).stdout
    return re.search(r'Effective Level: <b>(\w+)</b>', page).group(1)


# Each rolling role's switch off: its daemons restart at once.
ALL_AT_ONCE = {'hdfs_datanode_rolling': False, 'yarn_nodemanager_rolling': False, 'zookeeper_rolling': False}


def test_a_daemon_that_cannot_start_fails_the_run_and_the_fixed_run_finishes_the_pending_restarts():
    """One run sets the log level, puts zoo.cfg back to the scenario's and gives
    the MapReduce history server a JVM option it cannot start with: the run
    fails at that daemon with its log lines. The fixed run then restarts what
    the failed one left pending, so over both runs exactly the readers of the
    logging configuration (and ZooKeeper) restarted, and the level is served.
    A third run with the same settings changes and restarts nothing: no
    restart of this test or the one before is left over or done twice. The
    runs turn the rolling restarts off (each rolling role's switch): every
    DataNode, NodeManager and ZooKeeper server then restarts at once."""
    assert served_root_level() == 'INFO'
    historyserver = GROUPS['historyservers'][0]
    before = start_times()
    bad = {'mapreduce_historyserver_jvm_options': ['-XX:MaxMetaspaceSize=lots']}
    result = run_site(INVENTORY_DIR, {'hadoop_yarn_site': YARN_SITE}, DATANODE_OPTIONS, ALL_AT_ONCE,
                      'hadoop_log_level=WARN', bad)
    output = ' '.join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert 'DataNode batch' not in output and 'ZooKeeper server 1/' not in output
    assert 'historyserver (hadoop-mapreduce-historyserver) is not up:' in output, output[-3000:]
    assert "Improperly specified VM option 'MaxMetaspaceSize=lots'" in output, output[-3000:]
    assert 'Traceback' not in output
    # The run failed at that daemon's host.
    recap = result.stdout.split('PLAY RECAP')[-1]
    assert re.search(r'%s\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=1' % re.escape(historyserver), recap)

    fixed = run_site(INVENTORY_DIR, {'hadoop_yarn_site': YARN_SITE}, DATANODE_OPTIONS, ALL_AT_ONCE,
                     'hadoop_log_level=WARN')
    assert fixed.returncode == 0, (fixed.stdout + fixed.stderr)[-3000:]
    after = start_times()
    assert restarted_units(before, after) == sorted(LOG4J_READERS + ('zookeeper-server',))
    assert not any(zoo_cfg_has_the_changed_value(s) for s in ZOOKEEPERS)
    assert quorum(modes())
    assert served_root_level() == 'WARN'
    for container in sorted(CONTAINERS.values()):
        log4j = subprocess.run(['docker', 'exec', container, 'grep', '^hadoop.root.logger=',
                                '/etc/hadoop/conf/log4j.properties'], capture_output=True, text=True, check=True)
        assert log4j.stdout.strip() == 'hadoop.root.logger=WARN,RFA', container
    state = subprocess.run(['docker', 'exec', CONTAINERS[historyserver], 'curl', '-sS', '-f',
                            'http://%s:19888/ws/v1/history/info' % historyserver],
                           capture_output=True, text=True, check=True).stdout
    assert '"hadoopVersion"' in state

    again = run_site(INVENTORY_DIR, {'hadoop_yarn_site': YARN_SITE}, DATANODE_OPTIONS, ALL_AT_ONCE,
                     'hadoop_log_level=WARN')
    assert again.returncode == 0, (again.stdout + again.stderr)[-3000:]
    assert start_times() == after
    changed = re.findall(r'changed=(\d+)', again.stdout.split('PLAY RECAP')[-1])
    assert changed and set(changed) == {'0'}, again.stdout.split('PLAY RECAP')[-1]


def task_results(output):
    """{task name: [the result lines of its hosts]} of a run's default output."""
    results, name = {}, None
    for line in output.splitlines():
        found = re.match(r'TASK \[(.*)\] \**$', line)
        if found:
            name = found.group(1)
            results.setdefault(name, [])
        elif name and re.match(r'(ok|changed|skipping|fatal|failed): \[', line):
            results[name].append(line)
    return results


def test_check_and_diff_show_a_change_and_the_restarts_it_would_cause_and_change_nothing():
    """--check --diff on the converged cluster (with the settings of the tests
    above) reports no change; with one yarn-site.xml value changed it shows
    that file's diff on every host and the restarts of the daemons that read
    it (at once: the rolling switches are off), and nothing changes on any
    host: no file, no marker, no restart."""
    settings = ({'hadoop_yarn_site': YARN_SITE}, DATANODE_OPTIONS, ALL_AT_ONCE, 'hadoop_log_level=WARN')
    before = start_times()
    quiet = run_site(INVENTORY_DIR, *settings, flags=['--check', '--diff'])
    assert quiet.returncode == 0, (quiet.stdout + quiet.stderr)[-3000:]
    changed = re.findall(r'changed=(\d+)', quiet.stdout.split('PLAY RECAP')[-1])
    assert changed and set(changed) == {'0'}, quiet.stdout.split('PLAY RECAP')[-1]

    old = YARN_SITE['yarn.log-aggregation.retain-seconds']
    other = dict(YARN_SITE, **{'yarn.log-aggregation.retain-seconds': old + 1})
    shown = run_site(INVENTORY_DIR, {'hadoop_yarn_site': other}, *settings[1:], flags=['--check', '--diff'])
    assert shown.returncode == 0, (shown.stdout + shown.stderr)[-3000:]
    # The file's diff, old value out and new value in, once per host.
    assert shown.stdout.count('+++ after: /etc/hadoop/conf/yarn-site.xml') == len(CONTAINERS), shown.stdout[-3000:]
    assert re.search(r'^-.*<value>%d</value>' % old, shown.stdout, re.M), shown.stdout[-3000:]
    assert re.search(r'^\+.*<value>%d</value>' % (old + 1), shown.stdout, re.M), shown.stdout[-3000:]
    # The readers of yarn-site.xml would restart, no other daemon: when its
    # role starts it (Run) or, for a daemon whose role restarts it in its own
    # order (the ResourceManager), in that restart (Restart).
    results = task_results(shown.stdout)
    would = sorted(set(unit for unit in UNITS for task, lines in results.items()
                       if task.endswith((': Run ' + unit, ': Restart ' + unit))
                       and any(line.startswith('changed:') for line in lines)))
    readers = ('hadoop-yarn-resourcemanager', 'hadoop-yarn-nodemanager', 'hadoop-mapreduce-historyserver')
    assert would == sorted(readers), would
    # Nothing happened.
    assert start_times() == before
    for container in sorted(CONTAINERS.values()):
        state = subprocess.run(['docker', 'exec', container, 'bash', '-c',
                                'grep -c "<value>%d</value>" /etc/hadoop/conf/yarn-site.xml; '
                                'ls /var/lib/datafleet/restart-pending' % old],
                               capture_output=True, text=True, check=False).stdout.split()
        assert state == ['1'], (container, state)


# A second queue beside default: capacity-scheduler.xml changes on every host.
QUEUES = {'hadoop_capacity_scheduler': {'yarn.scheduler.capacity.root.queues': 'default,rolling%d' % (time.time() % 1000),
                                        'yarn.scheduler.capacity.root.default.capacity': 70}}
QUEUE = QUEUES['hadoop_capacity_scheduler']['yarn.scheduler.capacity.root.queues'].split(',')[1]
QUEUES['hadoop_capacity_scheduler']['yarn.scheduler.capacity.root.%s.capacity' % QUEUE] = 30


def scheduler_queues():
    """{queue name: capacity} of the root queue's children, from the ResourceManager's REST API."""
    resourcemanager = GROUPS['resourcemanagers'][0]
    body = subprocess.run(['docker', 'exec', CONTAINERS[MASTER], 'curl', '-sS', '-f',
                           'http://%s:8088/ws/v1/cluster/scheduler' % resourcemanager],
                          capture_output=True, text=True, check=True).stdout
    queues = json.loads(body)['scheduler']['schedulerInfo']['queues']['queue']
    # The REST API serves capacities as floats (30.000002 for 30).
    return dict((queue['queueName'], round(queue['capacity'], 3)) for queue in queues)


# A DataNode and a NameNode property each of them changes while it runs,
# with values no earlier run has set.
RECONFIGURED_VALUES = {'dfs.datanode.balance.max.concurrent.moves': 101 + int(time.time()) % 97,
                       'dfs.namenode.max.slowpeer.collect.nodes': 6 + int(time.time()) % 89}
RECONFIGURED = {'hadoop_hdfs_site': dict(HOSTVARS[MASTER]['hadoop_hdfs_site'], **RECONFIGURED_VALUES)}


def namenode_value(name):
    """A property's value as the running NameNode holds it (its /conf servlet)."""
    body = on_master('curl -sS -f "http://%s:9870/conf?name=%s"' % (MASTER, name))
    return re.search(r'<value>([^<]*)</value>', body).group(1)


def datanode_reconfigured(datanode):
    """{property: new value} the DataNode reports for its last reconfiguration,
    asked with Hadoop's own admin tool (its web server's /conf is a copy made
    at start)."""
    out = on_master('HADOOP_USER_NAME=hdfs java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "%s" org.apache.hadoop.hdfs.tools.DFSAdmin '
                    '-reconfig datanode %s:9867 status' % (workload.HADOOP_CP, datanode))
    return dict(re.findall(r'SUCCESS: Changed property (\S+)\s+From: "[^"]*"\s+To: "([^"]*)"', out))


def test_a_queue_added_and_reconfigurable_properties_are_reloaded_without_a_restart():
    """capacity-scheduler.xml is the one file the ResourceManager re-reads
    on request (rmadmin -refreshQueues): a new queue is scheduled without a
    restart of any daemon. In the same run hdfs-site.xml changes in a
    property of the DataNodes and one of the NameNode that they take in while
    they run (dfsadmin -reconfig): no daemon that reads hdfs-site.xml
    restarts either. Runs after the test above, with its settings."""
    assert QUEUE not in scheduler_queues()
    moves, collect = (str(RECONFIGURED_VALUES[name]) for name in
                      ('dfs.datanode.balance.max.concurrent.moves', 'dfs.namenode.max.slowpeer.collect.nodes'))
    assert namenode_value('dfs.namenode.max.slowpeer.collect.nodes') != collect
    before = start_times()
    result = run_site(INVENTORY_DIR, {'hadoop_yarn_site': YARN_SITE}, DATANODE_OPTIONS, ALL_AT_ONCE,
                      'hadoop_log_level=WARN', QUEUES, RECONFIGURED)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert start_times() == before
    assert scheduler_queues() == {'default': 70.0, QUEUE: 30.0}
    assert 'Reload capacity-scheduler.xml' in result.stdout
    assert namenode_value('dfs.namenode.max.slowpeer.collect.nodes') == collect
    for datanode in DATANODES:
        assert datanode_reconfigured(datanode).get('dfs.datanode.balance.max.concurrent.moves') == moves, datanode
    for container in sorted(CONTAINERS.values()):
        markers = subprocess.run(['docker', 'exec', container, 'bash', '-c', 'ls /var/lib/datafleet/restart-pending'],
                                 capture_output=True, text=True, check=True).stdout.split()
        assert markers == [], (container, markers)
