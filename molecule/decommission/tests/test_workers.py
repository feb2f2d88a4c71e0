# -*- coding: utf-8 -*-
"""Workers come and go without losing a block or failing a job.

The steps run in order on one cluster: a dataset with known checksums, a
fourth worker added by scale_out.yml (balancer included), a decommission that
must be refused, a decommission killed mid-wait and run again, a recommission,
and a decommission while a Spark job runs. The dataset's checksums are
compared at the end; test_workers_ha.py goes on with this cluster (and its
decommissioned worker).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import signal
import subprocess
import tempfile

from conftest import (CONTAINERS, MASTER_CONTAINER, NN, RM, SCALED, WORKERS, datanodes, get_json, jmx,
                      namenode_conf, nodemanagers, on_master, run_playbook, start_playbook, wait_for)

W1, W2, W3, W4 = WORKERS
DATASET = '/tmp/workers-dataset'
HIGH_REPLICATION = 3
UNITS = ('hadoop-hdfs-namenode', 'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager',
         'hadoop-yarn-nodemanager', 'hadoop-mapreduce-historyserver', 'spark-history-server')
WATCHED = '/etc/hadoop/conf /etc/systemd/system /var/lib/datafleet'

# Many small files, a few large ones in 8 MiB blocks, one file with a higher
# replication than the default; sha256 of each as written.
WRITE_DATASET = r'''
set -eu
rm -rf %(dir)s && mkdir -p %(dir)s/small && cd %(dir)s
W="%(nn)s/webhdfs/v1/data"
put() { curl -sS -f -L -X PUT -T "$1" "$W/$1?op=CREATE&overwrite=true&user.name=hdfs$2" > /dev/null; }
for i in $(seq 1 150); do head -c $((1000 + i * 37)) /dev/urandom > small/f$i; done
for i in 1 2 3; do head -c 60000000 /dev/urandom > large$i; done
head -c 6000000 /dev/urandom > important
curl -sS -f -X PUT "$W/small?op=MKDIRS&user.name=hdfs" > /dev/null
for f in small/*; do put "$f" ""; done
for f in large1 large2 large3; do put "$f" "&blocksize=8388608"; done
put important "&replication=%(high)d&blocksize=1048576"
find . -type f ! -name sums | sort | xargs sha256sum > sums
'''

# Everything read back through WebHDFS and checked against the sums.
CHECK_DATASET = r'''
set -eu
rm -rf %(dir)s.read && mkdir -p %(dir)s.read/small && cd %(dir)s.read
while read -r sum path; do
  curl -sS -f -L -o "$path" "%(nn)s/webhdfs/v1/data/${path#./}?op=OPEN&user.name=hdfs"
done < %(dir)s/sums
sha256sum -c %(dir)s/sums
'''

# A Spark job that reads the small files slowly (about a minute on the
# sandbox's executors) and writes their total size.
JOB = r'''
import sys
import time
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
files = spark.sparkContext.binaryFiles("/data/small", 12)
total = files.map(lambda kv: (time.sleep(0.6), len(kv[1]))[1]).sum()
spark.createDataFrame([(total,)], "total long").coalesce(1).write.mode("overwrite").csv(sys.argv[1])
'''


def snapshot():
    """Modification times of the managed files and start times of the daemons, per node."""
    state = {}
    for container in sorted(CONTAINERS.values()):
        files = subprocess.run(
            ['docker', 'exec', container, 'sh', '-c',
             'find %s -maxdepth 2 -printf "%%p %%T@\\n" 2>/dev/null | sort' % WATCHED],
            capture_output=True, text=True, check=True).stdout
        starts = subprocess.run(
            ['docker', 'exec', container, 'systemctl', 'show', '-p', 'Id,ExecMainStartTimestampMonotonic']
            + [u + '.service' for u in UNITS], capture_output=True, text=True, check=True).stdout
        state[container] = (files, starts)
    return state


def unit_start(host, unit):
    return subprocess.run(['docker', 'exec', CONTAINERS[host], 'systemctl', 'show', '-p',
                           'ExecMainStartTimestampMonotonic', unit], capture_output=True, text=True, check=True).stdout


def blocks_healthy():
    system, state = jmx('FSNamesystem'), jmx('FSNamesystemState')
    return system['MissingBlocks'] == 0 and system['CorruptBlocks'] == 0 and state['UnderReplicatedBlocks'] == 0


def test_dataset_is_written():
    on_master(WRITE_DATASET % {'dir': DATASET, 'nn': NN, 'high': HIGH_REPLICATION})
    status = get_json('%s/webhdfs/v1/data/important?op=GETFILESTATUS&user.name=hdfs' % NN)['FileStatus']
    assert status['replication'] == HIGH_REPLICATION
    listed = get_json('%s/webhdfs/v1/data/small?op=LISTSTATUS&user.name=hdfs' % NN)['FileStatuses']['FileStatus']
    assert len(listed) == int(on_master('ls %s/small | wc -l' % DATASET).stdout)
    wait_for(blocks_healthy, 120, 'every block replicated')


def test_scale_out_adds_a_live_worker_that_gets_blocks():
    assert W4 not in datanodes()
    started = dict((w, unit_start(w, 'hadoop-hdfs-datanode')) for w in (W1, W2, W3))
    result = run_playbook('scale_out.yml', SCALED, 'hadoop_scale_out_hosts=' + W4,
                          'hdfs_namenode_balance_after_scale_out=true', 'hdfs_namenode_balancer_threshold=2')
    assert result.returncode == 0, result.stdout[-3000:]
    assert 'Balancer ' in result.text and ' moved in ' in result.text
    node = datanodes()[W4]
    assert node['live'] and node['adminState'] == 'In Service' and node['location'] == '/rack2'
    assert node['numBlocks'] > 0, 'the balancer moved no block to the new DataNode'
    assert nodemanagers()[W4]['state'] == 'RUNNING'
    # The other workers were not touched.
    assert dict((w, unit_start(w, 'hadoop-hdfs-datanode')) for w in (W1, W2, W3)) == started


def test_decommission_that_leaves_too_few_datanodes_is_refused():
    before = snapshot()
    result = run_playbook('decommission.yml', SCALED, 'hadoop_decommission_hosts=%s,%s' % (W1, W2))
    assert result.returncode != 0
    assert 'the highest replication factor in use is %d (/data/important)' % HIGH_REPLICATION in result.text
    assert snapshot() == before
    assert all(n['adminState'] == 'In Service' for n in datanodes().values())
    assert all(n['state'] == 'RUNNING' for n in nodemanagers().values())


def test_interrupted_decommission_completes_when_run_again():
    with tempfile.TemporaryFile() as log:
        run = start_playbook('decommission.yml', SCALED, log, 'hadoop_decommission_hosts=' + W3)
        try:
            # Killed in the wait: the node draining, the limits raised.
            wait_for(lambda: datanodes()[W3]['adminState'] == 'Decommission In Progress'
                     and namenode_conf('dfs.namenode.replication.max-streams') == '20', 180,
                     'the decommission to start')
            # Killed like a lost controller: no cleanup runs.
            os.killpg(run.pid, signal.SIGKILL)
        finally:
            run.wait()
    assert datanodes()[W3]['adminState'] == 'Decommission In Progress'
    assert namenode_conf('dfs.namenode.replication.max-streams') == '20'
    result = run_playbook('decommission.yml', SCALED, 'hadoop_decommission_hosts=' + W3)
    assert result.returncode == 0, result.stdout[-3000:]
    node = datanodes()[W3]
    assert node['adminState'] == 'Decommissioned'
    assert nodemanagers()[W3]['state'] == 'DECOMMISSIONED'
    # The limits are back and the daemons stopped.
    assert namenode_conf('dfs.namenode.replication.max-streams') == '2'
    units = subprocess.run(['docker', 'exec', CONTAINERS[W3], 'systemctl', 'is-active', 'hadoop-hdfs-datanode',
                            'hadoop-yarn-nodemanager'], capture_output=True, text=True, check=False).stdout.split()
    assert units == ['inactive', 'inactive']
    assert blocks_healthy()


def test_recommission_brings_the_worker_back():
    result = run_playbook('recommission.yml', SCALED, ['--limit', W3])
    assert result.returncode == 0, result.stdout[-3000:]
    node = datanodes()[W3]
    assert node['live'] and node['adminState'] == 'In Service'
    assert nodemanagers()[W3]['state'] == 'RUNNING'


def test_decommission_during_a_spark_job():
    on_master("cat > /tmp/workers_job.py <<'EOF'\n%sEOF\nchmod 644 /tmp/workers_job.py" % JOB)
    expected = int(on_master('cat %s/small/* | wc -c' % DATASET).stdout)
    submit = subprocess.Popen(
        ['docker', 'exec', MASTER_CONTAINER, 'su', '-s', '/bin/sh', 'spark', '-c',
         'cd /tmp && JAVA_HOME=$(dirname $(dirname $(readlink -f /usr/bin/java))) SPARK_CONF_DIR=/etc/spark/conf '
         'HADOOP_CONF_DIR=/etc/hadoop/conf /opt/spark/current/bin/spark-submit --master yarn --deploy-mode cluster '
         '--name workers-job /tmp/workers_job.py /tmp/workers-job-out'],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Decommission the worker with the most running containers once the job runs.
    busy = wait_for(lambda: [n for n in sorted(nodemanagers().values(), key=lambda n: -n.get('numContainers', 0))
                             if n['state'] == 'RUNNING' and n.get('numContainers', 0) > 0],
                    300, 'the job to run containers')
    leaving = busy[0]['nodeHostName']
    # The job's own event log is a file open for write, and its block may be on the leaving worker: the
    # decommission waits for the writer instead of refusing (the NodeManager drains meanwhile).
    result = run_playbook('decommission.yml', SCALED, 'hadoop_decommission_hosts=' + leaving,
                          'hdfs_namenode_wait_for_open_files=true')
    output = submit.communicate(timeout=900)[0]
    assert result.returncode == 0, result.stdout[-3000:]
    assert submit.returncode == 0, output[-3000:]
    apps = get_json('%s/ws/v1/cluster/apps?states=FINISHED' % RM)['apps']['app']
    job = [a for a in apps if a['name'] == 'workers-job'][0]
    assert job['finalStatus'] == 'SUCCEEDED'
    written = get_json('%s/webhdfs/v1/tmp/workers-job-out?op=LISTSTATUS&user.name=hdfs' % NN)
    part = [s['pathSuffix'] for s in written['FileStatuses']['FileStatus']
            if s['pathSuffix'].startswith('part-') and s['length'] > 0][0]
    total = on_master('curl -sS -f -L "%s/webhdfs/v1/tmp/workers-job-out/%s?op=OPEN&user.name=hdfs"' % (NN, part))
    assert int(total.stdout.strip()) == expected
    assert datanodes()[leaving]['adminState'] == 'Decommissioned'
    assert nodemanagers()[leaving]['state'] == 'DECOMMISSIONED'
    assert blocks_healthy()


def test_every_file_reads_back_with_its_checksum():
    result = on_master(CHECK_DATASET % {'dir': DATASET, 'nn': NN})
    lines = result.stdout.splitlines()
    files = int(on_master('wc -l < %s/sums' % DATASET).stdout)
    assert len(lines) == files and all(line.endswith(': OK') for line in lines)
    assert blocks_healthy()
