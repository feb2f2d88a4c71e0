# -*- coding: utf-8 -*-
"""An HA cluster deployed by site.yml, checked with clients independent of
the collection, then hurt: the active NameNode killed while a client writes
and reads through the nameservice, the active ResourceManager killed while
a Spark job runs, a standby NameNode's metadata wiped. The steps run in
order on one cluster."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import subprocess
import time

from conftest import (CLIENT, CONTAINERS, INVENTORY, JOURNALNODES, NAMENODES, NAMESERVICE, RESOURCEMANAGERS, WORKERS,
                      ZOOKEEPERS, active_namenode, active_resourcemanager, cluster_ids, get_json, http, kill,
                      nn_bean, nn_state, nn_states, nn_url, on, rm_state, rm_url, run_playbook, the, wait_for)

HADOOP_CP = ('/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:/opt/hadoop/current/share/hadoop/common/lib/*'
             ':/opt/hadoop/current/share/hadoop/hdfs/*:/opt/hadoop/current/share/hadoop/hdfs/lib/*')
FS_SHELL = 'java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "%s" org.apache.hadoop.fs.FsShell' % HADOOP_CP
LOAD_DIR = '/tmp/ha-load'
# A client on a worker writes a new file through the nameservice, reads it
# back and compares checksums, until told to stop; one line per operation.
LOAD = r'''
set -u
rm -rf %(dir)s && mkdir -p %(dir)s && cd %(dir)s
fs() { %(fs)s "$@"; }
fs -mkdir -p hdfs://%(ns)s%(dir)s 2>> err.log
i=0
while [ ! -e stop ]; do
  i=$((i + 1))
  head -c 200000 /dev/urandom > f$i
  if fs -put -f f$i hdfs://%(ns)s%(dir)s/f$i 2>> err.log; then echo "$(date +%%s.%%N) put $i ok" >> ops.log
  else echo "$(date +%%s.%%N) put $i FAILED" >> ops.log; continue; fi
  if [ "$(fs -cat hdfs://%(ns)s%(dir)s/f$i 2>> err.log | sha256sum)" = "$(sha256sum < f$i)" ]; then
    echo "$(date +%%s.%%N) cat $i ok" >> ops.log
  else echo "$(date +%%s.%%N) cat $i FAILED" >> ops.log; fi
done
'''
SPARK_JOB = r'''
import sys
import time
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
total = spark.sparkContext.parallelize(range(40), 4).map(lambda n: (time.sleep(2), n)[1]).sum()
spark.createDataFrame([(total,)], "total long").coalesce(1).write.mode("overwrite").csv(sys.argv[1])
'''


def ops(worker):
    return [line.split() for line in on(worker, 'cat %s/ops.log 2>/dev/null' % LOAD_DIR, check=False).stdout.splitlines()]


def mode(server):
    out = on(CLIENT, "exec 3<>/dev/tcp/%s/2181; printf srvr >&3; cat <&3" % server, check=False).stdout
    lines = [line for line in out.splitlines() if line.startswith('Mode: ')]
    return lines[0].split(': ', 1)[1] if lines else None


def journal_txid(host):
    info = nn_bean(host, 'NameNodeInfo') or {}
    return int(json.loads(info.get('JournalTransactionInfo') or '{}').get('LastAppliedOrWrittenTxId', -1))


def test_zookeeper_has_one_leader_and_followers():
    modes = sorted(str(mode(server)) for server in ZOOKEEPERS)
    assert modes == ['follower'] * (len(ZOOKEEPERS) - 1) + ['leader']


def test_one_active_namenode_and_a_standby_that_is_caught_up():
    states = nn_states()
    active = the(states, 'active')
    standby = the(states, 'standby')
    # /isActive, the servlet load balancers use, agrees with JMX.
    assert http(nn_url(active) + '/isActive')[0] == 200
    assert http(nn_url(standby) + '/isActive')[0] == 405
    # Write something, then the standby applies it from the JournalNodes.
    on(active, 'curl -sS -f -X PUT "%s/webhdfs/v1/tmp/ha-caught-up-%d?op=MKDIRS&user.name=hdfs"'
       % (nn_url(active), int(time.time())))
    wait_for(lambda: journal_txid(standby) == journal_txid(active), 30, 'the standby to apply the new edits')


def test_one_active_resourcemanager():
    states = dict((host, rm_state(host)) for host in RESOURCEMANAGERS)
    assert sorted(states.values()) == ['ACTIVE'] + ['STANDBY'] * (len(RESOURCEMANAGERS) - 1), states


def test_clients_name_the_nameservice_and_every_resourcemanager():
    host = WORKERS[0]
    core = on(host, 'cat /etc/hadoop/conf/core-site.xml').stdout
    assert '<value>hdfs://%s</value>' % NAMESERVICE in core
    yarn = on(host, 'cat /etc/hadoop/conf/yarn-site.xml').stdout
    for rm in RESOURCEMANAGERS:
        assert '<value>%s</value>' % rm in yarn
    spark = on(CLIENT, 'cat /etc/spark/conf/spark-defaults.conf').stdout
    for key in ('spark.eventLog.dir', 'spark.yarn.archive', 'spark.history.fs.logDirectory'):
        line = [entry for entry in spark.splitlines() if entry.startswith(key + ' ')][0]
        assert line.split()[1].startswith('hdfs://%s/' % NAMESERVICE), line
    # JournalNodes hold the nameservice's journal.
    for jn in JOURNALNODES:
        bean = get_json('http://%s:8480/jmx?qry=Hadoop:service=JournalNode,name=JournalNodeInfo' % jn)['beans'][0]
        assert '"%s":{"Formatted":"true"}' % NAMESERVICE in bean['JournalsStatus']


def test_service_check_passes_through_the_active_masters():
    run = run_playbook('service_check.yml')
    assert run.returncode == 0, run.stdout[-5000:]
    assert 'HDFS round trip OK' in run.text and 'FINISHED/SUCCEEDED' in run.text


def test_namenode_failover_under_load():
    worker = WORKERS[0]
    script = LOAD % {'dir': LOAD_DIR, 'ns': NAMESERVICE, 'fs': FS_SHELL}
    client = subprocess.Popen(['docker', 'exec', '-i', CONTAINERS[worker], 'bash', '-c', script],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(ops(worker)) >= 4, 120, 'the client to write and read before the kill')
        old = active_namenode()
        killed_at = kill(old, 'hadoop-hdfs-namenode')
        new = wait_for(lambda: [h for h, s in nn_states().items() if s == 'active' and h != old], 60,
                       'the standby to become active')[0]
        # Go on until the client wrote and read back several files after the kill.
        wait_for(lambda: len([o for o in ops(worker) if float(o[0]) > killed_at and o[1] == 'cat']) >= 3, 180,
                 'client operations after the failover')
    finally:
        on(worker, 'touch %s/stop' % LOAD_DIR, check=False)
        client.wait(timeout=120)
    done = ops(worker)
    failed = [o for o in done if o[3] != 'ok']
    assert not failed, 'client operations failed: %s\n%s' % (failed, on(worker, 'tail -20 %s/err.log' % LOAD_DIR).stdout)
    first_put = min(float(o[0]) for o in done if float(o[0]) > killed_at and o[1] == 'put')
    print('NameNode failover: %s killed, %s active; first write through %s %.1f s after the kill'
          % (old, new, NAMESERVICE, first_put - killed_at))
    # systemd starts the killed NameNode again, and it rejoins as the standby.
    wait_for(lambda: nn_state(old) == 'standby', 120, 'the killed NameNode to rejoin as standby')


def test_resourcemanager_failover_during_a_spark_job():
    subprocess.run(['docker', 'exec', '-i', CONTAINERS[CLIENT], 'bash', '-c',
                    'mkdir -p /tmp/ha-job && cat > /tmp/ha-job/job.py && chmod -R a+rwX /tmp/ha-job'],
                   input=SPARK_JOB, text=True, check=True)
    name = 'ha-failover-%d' % int(time.time())
    submit = subprocess.Popen(
        ['docker', 'exec', '-u', 'spark', '-e', 'HOME=/tmp/ha-job', '-e', 'SPARK_CONF_DIR=/etc/spark/conf',
         '-e', 'HADOOP_CONF_DIR=/etc/hadoop/conf', '-w', '/tmp/ha-job', CONTAINERS[CLIENT],
         '/opt/spark/current/bin/spark-submit', '--master', 'yarn', '--deploy-mode', 'cluster', '--name', name,
         'job.py', '/tmp/ha-job-output-%s' % name],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def running_app():
        rm = active_resourcemanager()
        apps = (get_json('%s/ws/v1/cluster/apps?states=RUNNING' % rm_url(rm)).get('apps') or {}).get('app') or []
        found = [a for a in apps if a['name'] == name and a.get('runningContainers', 0) >= 2]
        return found[0]['id'] if found else None

    try:
        app_id = wait_for(running_app, 180, 'the Spark job to run with executors')
        old = active_resourcemanager()
        killed_at = kill(old, 'hadoop-yarn-resourcemanager')
        new = wait_for(lambda: [h for h in RESOURCEMANAGERS if h != old and rm_state(h) == 'ACTIVE'], 60,
                       'the other ResourceManager to become active')[0]
        print('ResourceManager failover: %s killed, %s active after %.1f s' % (old, new, time.time() - killed_at))
        output, dummy = submit.communicate(timeout=600)
    finally:
        if submit.poll() is None:
            submit.kill()
    app = get_json('%s/ws/v1/cluster/apps/%s' % (rm_url(new), app_id))['app']
    assert (app['state'], app['finalStatus']) == ('FINISHED', 'SUCCEEDED'), output[-3000:]
    assert submit.returncode == 0, output[-3000:]
    wait_for(lambda: rm_state(old) == 'STANDBY', 120, 'the killed ResourceManager to rejoin as standby')


def test_lost_metadata_is_bootstrapped_from_the_active_never_formatted():
    before = cluster_ids()
    assert len(set(before.values())) == 1 and None not in before.values(), before
    standby = the(nn_states(), 'standby')
    on(standby, 'systemctl stop hadoop-hdfs-namenode && rm -rf /var/lib/hadoop/hdfs/namenode/*')
    # As after a disk replacement: site.yml for that host.
    run = run_playbook('site.yml', INVENTORY, ['--limit', standby])
    assert run.returncode == 0, run.stdout[-5000:]
    copy = run.text.split('Copy the namespace to the NameNodes with empty metadata directories', 1)[1][:400]
    assert 'changed: [%s]' % standby in copy, copy
    fmt = run.text.split('Format the first NameNode of a new nameservice', 1)[1][:300]
    assert 'changed:' not in fmt, fmt
    assert cluster_ids() == before
    wait_for(lambda: nn_state(standby) == 'standby', 120, 'the bootstrapped NameNode to run as standby')
    assert sorted(nn_states().values()) == ['active'] + ['standby'] * (len(NAMENODES) - 1)
