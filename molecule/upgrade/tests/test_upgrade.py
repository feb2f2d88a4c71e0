# -*- coding: utf-8 -*-
"""The cluster without HA, deployed on the Hadoop and ZooKeeper versions of
its inventory, upgraded by upgrade.yml to NEW and ZK_NEW: refused until the
NameNode's outage is accepted; then, while a client writes and reads HDFS
and samplers watch the DataNodes and the ZooKeeper servers, the NameNode
restarted in place with -rollingUpgrade started, the DataNodes one at a
time, the ZooKeeper servers one at a time with the leader last, and the
rolling upgrade finalized: every daemon on the new version, asked with
clients independent of the collection, the data read back with its
checksums; a second run changes nothing. The steps run in order on one
cluster."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from conftest import CONTAINERS, GROUPS, HOSTVARS, INVENTORY_DIR, MASTER, ZOOKEEPERS, ask, modes, quorum, run_site
import workload

OLD = HOSTVARS[MASTER]['hadoop_version']
ZK_OLD = HOSTVARS[MASTER]['zookeeper_version']
NEW = '3.5.0'
ZK_NEW = '3.9.5'
DATA = '/upgrade-data'
BOX = CONTAINERS[MASTER]
DATANODES = GROUPS['datanodes']
STATE = {}


def upgrade(*extra):
    return run_site(INVENTORY_DIR, 'hadoop_version=%s' % NEW, 'zookeeper_version=%s' % ZK_NEW, *extra,
                    playbook='upgrade.yml')


def in_box(script):
    return workload.run_in(BOX, script)


def get_json(url):
    return json.loads(in_box('curl -sS -f --max-time 30 "%s"' % url))


def namenode_info():
    beans = get_json('http://%s:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo' % MASTER)['beans']
    return beans[0]


def versions_reported():
    """What the daemons say they run: the NameNode's JMX and its list of DataNodes, the ResourceManager's and the
    history server's REST APIs and the ResourceManager's list of NodeManagers, each ZooKeeper server's srvr."""
    info = namenode_info()
    reported = {'namenode ' + MASTER: info['SoftwareVersion']}
    for name, node in json.loads(info['LiveNodes']).items():
        reported['datanode ' + name.split(':')[0]] = node['version']
    for host in GROUPS['resourcemanagers']:
        reported['resourcemanager ' + host] = get_json('http://%s:8088/ws/v1/cluster/info' % host)['clusterInfo']['hadoopVersion']
        for node in get_json('http://%s:8088/ws/v1/cluster/nodes' % host)['nodes']['node']:
            reported['nodemanager ' + node['nodeHostName']] = node['version']
    for host in GROUPS['historyservers']:
        reported['historyserver ' + host] = get_json('http://%s:19888/ws/v1/history/info' % host)['historyInfo']['hadoopVersion']
    for server in ZOOKEEPERS:
        found = re.search(r'^Zookeeper version: ([^-,\s]+)', ask('srvr', server), re.M)
        reported['zookeeper ' + server] = found.group(1) if found else None
    return reported


def assert_everything_runs(hadoop, zookeeper):
    reported = versions_reported()
    assert len(reported) == 1 + 2 * len(DATANODES) + len(GROUPS['resourcemanagers']) + len(GROUPS['historyservers']) \
        + len(ZOOKEEPERS), reported
    wrong = dict((name, version) for name, version in reported.items()
                 if version != (zookeeper if name.startswith('zookeeper ') else hadoop))
    assert not wrong, reported
    # And the directory each process was started from (its command line).
    for host, container in sorted(CONTAINERS.items()):
        script = ('for u in $(systemctl list-units --type=service --state=running --no-legend "hadoop-*" zookeeper-server '
                  '| cut -d" " -f1); do pid=$(systemctl show -p MainPID --value $u); '
                  'echo "$u $(tr "\\0" "\\n" < /proc/$pid/cmdline | grep -o -E "/opt/(hadoop/hadoop|zookeeper/apache-zookeeper)-[^/]*" '
                  '| sort -u | tr "\\n" " ")"; done')
        out = workload.run_in(container, script)
        for line in out.splitlines():
            unit, dirs = line.split(' ', 1)
            wanted = ('/opt/zookeeper/apache-zookeeper-%s-bin' % zookeeper if unit.startswith('zookeeper')
                      else '/opt/hadoop/hadoop-%s' % hadoop)
            assert dirs.split() == [wanted], (host, line)


def checksums(path):
    """sha256 of each file under path, as HDFS serves it, computed in the master's container."""
    names = [line.split()[-1] for line in workload.fs_in(BOX, 'hdfs', '-ls', path)[1].splitlines()
             if line.startswith('-')]
    return dict((name, in_box('cd /tmp && HADOOP_USER_NAME=hdfs java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "%s" org.apache.hadoop.fs.FsShell '
                              '-cat %s | sha256sum | cut -d" " -f1' % (workload.HADOOP_CP, name)).strip())
                for name in names)


def test_the_cluster_runs_the_old_versions_with_a_dataset():
    assert (OLD, ZK_OLD) != (NEW, ZK_NEW)
    assert_everything_runs(OLD, ZK_OLD)
    in_box('rm -rf /tmp/upgrade-data && mkdir -p /tmp/upgrade-data && cd /tmp/upgrade-data && '
           'for i in 1 2 3; do head -c $((2000000 + i * 55555)) /dev/urandom > part$i; done')
    rc, dummy, err = workload.fs_in(BOX, 'hdfs', '-mkdir', '-p', DATA)
    assert rc == 0, err
    parts = ['/tmp/upgrade-data/part%d' % i for i in (1, 2, 3)]
    rc, dummy, err = workload.fs_in(BOX, 'hdfs', '-put', '-f', *(parts + [DATA]))
    assert rc == 0, err
    local = in_box('cd /tmp/upgrade-data && for f in part*; do echo "%s/$f $(sha256sum < $f | cut -d" " -f1)"; done' % DATA)
    STATE['local'] = dict(line.split() for line in local.splitlines())
    assert checksums(DATA) == STATE['local']
    STATE['cluster_id'] = namenode_info()['ClusterId']


def test_without_ha_the_upgrade_is_refused_until_the_outage_is_accepted():
    result = upgrade()
    assert result.returncode != 0
    # The refusal is the failed task's message, which ansible-playbook prints on stderr.
    said = ' '.join((result.stdout + result.stderr).split())
    assert 'HDFS has one NameNode' in said and 'hadoop_upgrade_accept_outage=true' in said, said[-3000:]
    assert_everything_runs(OLD, ZK_OLD)


def test_the_namenode_restarts_in_place_the_workers_and_zookeeper_roll_and_the_upgrade_is_finalized():
    client = workload.start_load(BOX, DATANODES, ZOOKEEPERS)
    try:
        result = upgrade('hadoop_upgrade_accept_outage=true', 'hadoop_upgrade_finalize=true')
    finally:
        workload.stop_load(BOX, client)
    assert result.returncode == 0, result.stdout[-4000:]
    said = ' '.join(result.stdout.split())
    assert 'restarts now. Without high availability HDFS is unavailable' in said, result.stdout[-4000:]
    took = dict((name, int(seconds)) for name, seconds in re.findall(r'Phase done: (.+?) in (\d+) s', result.stdout))
    assert all(phase in took for phase in ('ZooKeeper servers', 'NameNodes', 'DataNodes', 'ResourceManagers',
                                           'NodeManagers')), took
    assert_everything_runs(NEW, ZK_NEW)
    info = namenode_info()
    assert info['RollingUpgradeStatus'] is None and info['UpgradeFinalized'], info['RollingUpgradeStatus']
    assert info['ClusterId'] == STATE['cluster_id']
    assert checksums(DATA) == STATE['local']
    fsck = in_box('curl -sS --max-time 120 "http://%s:9870/fsck?ugi=hdfs&path=/"' % MASTER)
    assert 'is HEALTHY' in fsck, fsck[-1500:]
    assert quorum(modes())
    # ZooKeeper one server at a time, the leader last (as in a rolling restart).
    zk = workload.samples(BOX, 'zk.log', len(ZOOKEEPERS))
    leader = [server for server, mode in zk[0][1].items() if mode == 'leader']
    assert len(leader) == 1, zk[0]
    out = [sorted(server for server, mode in sample.items() if mode not in ('leader', 'follower')) for dummy, sample in zk]
    first_out = {}
    for index, servers in enumerate(out):
        for server in servers:
            first_out.setdefault(server, index)
    assert set(first_out) == set(ZOOKEEPERS), first_out
    assert max(first_out, key=first_out.get) == leader[0], (first_out, leader)
    assert all(len(o) <= 1 for o in out[:first_out[leader[0]]]), out
    # The DataNodes one at a time (two DataNodes, replication 2: batches of one).
    dn = workload.samples(BOX, 'dn.log', len(DATANODES))
    down = [sorted(node for node, state in sample.items() if state == 'down') for dummy, sample in dn]
    assert all(len(d) <= 1 for d in down), [d for d in down if len(d) > 1]
    assert set(node for d in down for node in d) == set(DATANODES), len(dn)
    # HDFS was unavailable only while its one NameNode was: in safe mode for the preparation of the rolling
    # upgrade, and while it restarted and left safe mode; no other restart failed an operation.
    ops = workload.load_log(BOX, 'ops.log')
    windows = []
    for at in sorted(float(op[0]) for op in ops if op[3] != 'ok'):
        if windows and at - windows[-1][1] <= 30:
            windows[-1][1] = at
        else:
            windows.append([at, at])
    outages = ' + '.join('%.0f' % (end - start + 1) for start, end in windows)
    print('client operations: %d; HDFS unavailable for %s s' % (len(ops), outages))
    assert len(windows) <= 2 and all(end - start < 150 for start, end in windows), windows
    assert ops and all(op[3] == 'ok' for op in ops[-3:]), ops[-5:]


def test_the_finalized_upgrade_run_again_changes_nothing():
    again = upgrade('hadoop_upgrade_accept_outage=true')
    assert again.returncode == 0, again.stdout[-4000:]
    assert 'nothing to upgrade' in again.stdout, again.stdout[-4000:]
    lines = [line for line in again.stdout.splitlines() if ' : ok=' in line]
    assert lines and all('changed=0 ' in line for line in lines), '\n'.join(lines)
