# -*- coding: utf-8 -*-
"""The running cluster of test_workers.py (its dataset, its Spark
applications) made highly available with convert_to_ha.yml.

pytest runs this module after test_workers.py (files in name order): the
conversion is refused first, with a missing block and a decommission in
progress made by hand; then, with HDFS settled again and the worker
decommissioned by test_workers.py still out, inventory-ha adds a
second master (NameNode, ResourceManager), JournalNodes and ZooKeeper servers;
the new master must take over the decommission. Checked with clients
independent of the collection: every NameNode's VERSION file and hosts file,
JMX, WebHDFS, ZooKeeper's srvr, the ResourceManagers' and the Spark history
server's REST APIs, and a Spark job through the nameservice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess

from conftest import MASTER_CONTAINER, SCENARIO, WORKERS, datanodes, get_json, on_master, run_playbook, wait_for
from test_workers import CHECK_DATASET, DATASET, snapshot

HA = os.path.join(SCENARIO, 'inventory-ha')
NAMENODES = ('md-master.dfmold', 'md-master2.dfmold')
RESOURCEMANAGERS = NAMENODES
ZOOKEEPERS = ('md-master.dfmold', 'md-master2.dfmold', 'md-worker1.dfmold')
HISTORY = 'http://md-master.dfmold:18080/api/v1/applications'

# A Spark job through the nameservice: the number of small files.
COUNT_JOB = r'''
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
print("small files: %d" % spark.sparkContext.binaryFiles("/data/small").count())
'''


def on(host, script, check=True):
    result = subprocess.run(['docker', 'exec', '-i', host.split('.')[0], 'bash', '-c', script],
                            capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, '%s: %s' % (host, result.stdout + result.stderr)
    return result


def cluster_ids():
    """clusterID in each NameNode host's metadata directory (None where there is none)."""
    ids = {}
    for host in NAMENODES:
        out = on(host, 'grep -h ^clusterID= /var/lib/hadoop/hdfs/namenode/current/VERSION', check=False).stdout
        ids[host] = out.strip().split('=', 1)[1] if out.strip() else None
    return ids


def namenode_states():
    states = {}
    for host in NAMENODES:
        out = on_master('curl -sS --max-time 10 "http://%s:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeStatus"'
                        % host, check=False).stdout
        states[host] = out.split('"State" : "')[1].split('"')[0] if '"State" : "' in out else None
    return states


def resourcemanager_states():
    return dict((host, get_json('http://%s:8088/ws/v1/cluster/info' % host)['clusterInfo']['haState'])
                for host in RESOURCEMANAGERS)


def active_namenode_url():
    active = [host for host, state in namenode_states().items() if state == 'active']
    return 'http://%s:9870' % active[0] if len(active) == 1 else None


def active_resourcemanager_url():
    active = [host for host, state in resourcemanager_states().items() if state == 'ACTIVE']
    return 'http://%s:8088' % active[0] if len(active) == 1 else None


def active_jmx(bean):
    return get_json('%s/jmx?qry=Hadoop:service=NameNode,name=%s' % (active_namenode_url(), bean))['beans'][0]


def decommissioned_worker():
    """The worker test_workers.py left decommissioned (its daemons stopped), as the first master's DataNode
    list says: a restarted NameNode has not heard from it since."""
    entries = json.loads(on('md-master.dfmold', 'cat /etc/hadoop/conf/dfs.hosts.json').stdout)
    leaving = [e['hostName'] for e in entries if e.get('adminState') == 'DECOMMISSIONED']
    assert len(leaving) == 1, entries
    return leaving[0]


def assert_the_masters_keep_the_decommission(leaving):
    # Every NameNode reads the same DataNode list (the new one took it over), and
    # the active masters keep the worker out of service.
    files = set(on(host, 'cat /etc/hadoop/conf/dfs.hosts.json').stdout for host in NAMENODES)
    assert len(files) == 1 and leaving in files.pop()
    excludes = set(on(host, 'cat /etc/hadoop/conf/yarn.exclude.xml').stdout for host in RESOURCEMANAGERS)
    assert len(excludes) == 1 and leaving in excludes.pop()
    live = json.loads(active_jmx('NameNodeInfo')['LiveNodes'])
    assert leaving not in [name.split(':')[0] for name in live]
    dead = dict((name.split(':')[0], node) for name, node in json.loads(active_jmx('NameNodeInfo')['DeadNodes']).items())
    assert dead.get(leaving, {}).get('adminState', 'Decommissioned') == 'Decommissioned', dead
    every = 'DECOMMISSIONED,RUNNING,LOST,SHUTDOWN,NEW,UNHEALTHY,DECOMMISSIONING'
    nodes = get_json('%s/ws/v1/cluster/nodes?states=%s' % (active_resourcemanager_url(), every))['nodes']['node']
    # (A ResourceManager that never heard from the worker lists its exclusion as DECOMMISSIONED.)
    states = set(n['state'] for n in nodes if n['nodeHostName'] == leaving)
    assert 'DECOMMISSIONED' in states and 'RUNNING' not in states, nodes


def application_names():
    return set(app['name'] for app in get_json(HISTORY))


# A file of one replica whose block file is deleted on its DataNode, which
# then restarts: its block report lacks the block, so HDFS has a missing block.
LOSE_A_BLOCK = r'''
set -eu
head -c %(size)d /dev/urandom > /tmp/lonely
curl -sS -f -L -X PUT -T /tmp/lonely "%(nn)s/webhdfs/v1/convert-guard/lonely?op=CREATE&replication=1&user.name=hdfs" >/dev/null
'''
HOSTS_FILE = '/etc/hadoop/conf/dfs.hosts.json'
# dfsadmin as the HDFS superuser, through Hadoop's own classes.
DFSADMIN = ("su -s /bin/sh hdfs -c 'java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp \"/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:"
            "/opt/hadoop/current/share/hadoop/common/lib/*:/opt/hadoop/current/share/hadoop/hdfs/*:"
            "/opt/hadoop/current/share/hadoop/hdfs/lib/*\" org.apache.hadoop.hdfs.tools.DFSAdmin %s'")
# Mark a DataNode decommissioned in the NameNode's list and refresh it, as an operator could by hand.
DECOMMISSION_BY_HAND = r'''
set -eu
cp -p %(file)s /tmp/dfs.hosts.json.saved
python3 - <<'PY'
import json
entries = json.load(open('%(file)s'))
for entry in entries:
    if entry['hostName'] == '%(host)s':
        entry['adminState'] = 'DECOMMISSIONED'
json.dump(entries, open('%(file)s', 'w'))
PY
%(refresh)s
'''
UNDO_BY_HAND = r'''
set -eu
cp -p /tmp/dfs.hosts.json.saved %(file)s
%(refresh)s
curl -sS -f -X DELETE "%(nn)s/webhdfs/v1/convert-guard?op=DELETE&recursive=true&user.name=hdfs" >/dev/null
'''


def test_converting_is_refused_with_a_missing_block_or_a_decommission_in_progress():
    leaving = decommissioned_worker()
    serving = sorted(set(WORKERS) - {leaving})
    size = 1234567
    on_master(LOSE_A_BLOCK % {'size': size, 'nn': 'http://md-master.dfmold:9870'})
    holder = [w for w in serving if on(w, "find /var/lib/hadoop/hdfs/datanode -name 'blk_*' -size %dc" % size).stdout]
    assert len(holder) == 1, holder
    on(holder[0], "find /var/lib/hadoop/hdfs/datanode -name 'blk_*' -size %dc | while read f; do rm -f $f ${f}_*.meta; done"
       " && systemctl restart hadoop-hdfs-datanode" % size)
    draining = serving[0]
    try:
        wait_for(lambda: active_jmx('FSNamesystem')['MissingBlocks'] == 1, 180, 'the block to be missing')
        # /data/important has a replica on every DataNode in service: this decommission cannot end.
        on_master(DECOMMISSION_BY_HAND % {'file': HOSTS_FILE, 'host': draining,
                                          'refresh': DFSADMIN % '-refreshNodes'})
        wait_for(lambda: datanodes()[draining]['adminState'] == 'Decommission In Progress', 60,
                 'the decommission to start')
        before = snapshot()
        result = run_playbook('convert_to_ha.yml', HA)
        assert result.returncode != 0
        assert 'HDFS is not ready to be made highly available: 1 missing' in result.text, result.stdout[-3000:]
        assert draining in result.text.rsplit('DataNodes decommissioning:', maxsplit=1)[-1][:100], \
            result.stdout[-3000:]
        assert snapshot() == before
        assert on('md-master2.dfmold', 'ls /etc/hadoop/conf 2>/dev/null | wc -l').stdout.strip() == '0'
    finally:
        on_master(UNDO_BY_HAND % {'file': HOSTS_FILE, 'nn': 'http://md-master.dfmold:9870',
                                  'refresh': DFSADMIN % '-refreshNodes'})
    wait_for(lambda: datanodes()[draining]['adminState'] == 'In Service'
             and active_jmx('FSNamesystem')['MissingBlocks'] == 0, 120, 'HDFS to be settled again')


def test_the_running_cluster_is_converted_to_ha_keeping_its_data():
    leaving = decommissioned_worker()
    assert datanodes()[leaving]['adminState'] == 'Decommissioned'
    before = cluster_ids()
    assert before['md-master.dfmold'] and before['md-master2.dfmold'] is None, before
    applications = application_names()
    assert 'workers-job' in applications

    result = run_playbook('convert_to_ha.yml', HA)
    assert result.returncode == 0, result.stdout[-5000:]
    # HDFS is unavailable from the checkpoint to the election only: the new NameNode copies the namespace
    # after that. (How long it lasts depends on the machine; the playbook reports it.)
    assert re.search(r'HDFS was unavailable for \d+ s', result.text), result.stdout[-3000:]
    available = result.text.index('Note when HDFS became available again] ')
    copied = result.text.index('Copy the namespace to the NameNodes with empty metadata directories] ')
    assert available < copied, result.stdout[-5000:]
    assert 'changed: [md-master2.dfmold]' in result.text[copied:].split(' TASK [', 1)[0], result.stdout[-5000:]

    # One active NameNode and one standby, both holding the cluster's namespace.
    states = namenode_states()
    assert sorted(states.values()) == ['active', 'standby'], states
    assert cluster_ids() == dict((host, before['md-master.dfmold']) for host in NAMENODES)
    assert sorted(resourcemanager_states().values()) == ['ACTIVE', 'STANDBY']
    modes = [on_master('exec 3<>/dev/tcp/%s/2181; printf srvr >&3; cat <&3 | grep ^Mode:' % host).stdout.split()[-1]
             for host in ZOOKEEPERS]
    assert sorted(modes) == ['follower', 'follower', 'leader'], modes

    # Every DataNode in service reports to the active NameNode; every block and file is there.
    live = list(json.loads(active_jmx('NameNodeInfo')['LiveNodes']))
    assert sorted(name.split(':')[0] for name in live) == sorted(set(WORKERS) - {leaving}), live
    assert_the_masters_keep_the_decommission(leaving)
    system, state = active_jmx('FSNamesystem'), active_jmx('FSNamesystemState')
    assert (system['MissingBlocks'], system['CorruptBlocks'], state['UnderReplicatedBlocks']) == (0, 0, 0)
    lines = on_master(CHECK_DATASET % {'dir': DATASET, 'nn': active_namenode_url()}).stdout.splitlines()
    files = int(on_master('wc -l < %s/sums' % DATASET).stdout)
    assert len(lines) == files and all(line.endswith(': OK') for line in lines)

    # A Spark job through the nameservice and the ResourceManagers; the history server finds it and the old ones.
    on_master("cat > /tmp/count_job.py <<'EOF'\n%sEOF\nchmod 644 /tmp/count_job.py" % COUNT_JOB)
    job = subprocess.run(
        ['docker', 'exec', MASTER_CONTAINER, 'su', '-s', '/bin/sh', 'spark', '-c',
         'cd /tmp && JAVA_HOME=$(dirname $(dirname $(readlink -f /usr/bin/java))) SPARK_CONF_DIR=/etc/spark/conf '
         'HADOOP_CONF_DIR=/etc/hadoop/conf /opt/spark/current/bin/spark-submit --master yarn '
         '--name converted-job /tmp/count_job.py'], capture_output=True, text=True, check=False)
    assert job.returncode == 0, (job.stdout + job.stderr)[-3000:]
    assert 'small files: %d' % int(on_master('ls %s/small | wc -l' % DATASET).stdout) in job.stdout
    wait_for(lambda: applications | {'converted-job'} <= application_names(), 120,
             'the history server to list the applications from before and after the conversion')


def test_graceful_failover_to_the_standby_and_a_refused_one_to_a_stopped_namenode():
    standby = [host for host, state in namenode_states().items() if state == 'standby'][0]
    result = run_playbook('failover.yml', HA, 'hadoop_failover_namenode=' + standby)
    assert result.returncode == 0, result.stdout[-3000:]
    assert namenode_states()[standby] == 'active'
    again = run_playbook('failover.yml', HA, 'hadoop_failover_namenode=' + standby)
    assert again.returncode == 0 and 'changed=1' not in again.stdout, again.stdout[-3000:]

    # Back to the first one, after stopping it: refused, the active one stays.
    other = [host for host in NAMENODES if host != standby][0]
    on(other, 'systemctl stop hadoop-hdfs-namenode')
    try:
        refused = run_playbook('failover.yml', HA, 'hadoop_failover_namenode=' + other)
        assert refused.returncode != 0
        assert re.search(r'refusing to fail over: \S+ does not answer', refused.text), refused.stdout[-3000:]
        assert namenode_states() == {standby: 'active', other: None}
    finally:
        on(other, 'systemctl start hadoop-hdfs-namenode')
    wait_for(lambda: namenode_states()[other] == 'standby', 180, 'the stopped NameNode to run as standby again')


def test_converting_again_changes_nothing_and_leaves_the_decommissioned_worker_alone():
    leaving = decommissioned_worker()
    result = run_playbook('convert_to_ha.yml', HA)
    assert result.returncode == 0, result.stdout[-3000:]
    assert 'Nothing to convert' in result.text
    recap = [line for line in result.stdout.splitlines() if ' : ok=' in line]
    assert recap and all('changed=0 ' in line for line in recap), '\n'.join(recap)
    assert_the_masters_keep_the_decommission(leaving)


def test_recommission_on_ha_reaches_every_master_and_survives_a_failover():
    leaving = decommissioned_worker()
    result = run_playbook('recommission.yml', HA, 'hadoop_recommission_hosts=' + leaving)
    assert result.returncode == 0, result.stdout[-3000:]
    # Every master lists the worker in service again; the active ones run it.
    for host in NAMENODES:
        entries = json.loads(on(host, 'cat /etc/hadoop/conf/dfs.hosts.json').stdout)
        assert [e.get('adminState', 'NORMAL') for e in entries if e['hostName'] == leaving] == ['NORMAL'], host
    for host in RESOURCEMANAGERS:
        assert leaving not in on(host, 'cat /etc/hadoop/conf/yarn.exclude.xml').stdout, host

    def serving(url_nn, url_rm):
        live = dict((name.split(':')[0], node) for name, node in json.loads(
            get_json('%s/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo' % url_nn)['beans'][0]['LiveNodes']).items())
        nodes = get_json('%s/ws/v1/cluster/nodes?states=RUNNING' % url_rm)['nodes']['node']
        return (live.get(leaving, {}).get('adminState') == 'In Service'
                and leaving in [n['nodeHostName'] for n in nodes])

    assert serving(active_namenode_url(), active_resourcemanager_url())
    # The other NameNode takes over: it serves the worker as well.
    standby = [host for host, state in namenode_states().items() if state == 'standby'][0]
    result = run_playbook('failover.yml', HA, 'hadoop_failover_namenode=' + standby)
    assert result.returncode == 0, result.stdout[-3000:]
    wait_for(lambda: serving('http://%s:9870' % standby, active_resourcemanager_url()), 60,
             'the new active NameNode to report the worker in service')
