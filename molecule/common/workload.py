# -*- coding: utf-8 -*-
"""Work for a cluster while it restarts, from a client container, with
clients independent of the collection: Hadoop's own FsShell, curl, bash and
spark-submit.

- start_load: a client (RollingClient.java, one JVM on Hadoop's FileSystem
  API) writes a new file through HDFS once a second, reads it back and
  compares the bytes, until told to stop (one line per operation in
  ops.log: its end, what, which file, ok or FAILED, how long it took);
  samplers ask twice a second each DataNode's own web server
  whether it answers (dn.log), each ZooKeeper server its mode (zk.log) and,
  when given, each NameNode and ResourceManager its HA state (ha.log).
  start_client starts the client alone.
- submit_shuffle_job: a Spark job with a shuffle in cluster mode, round after
  round until stop_shuffle_job tells it to finish.

The scenarios' test packages import this module through their conftest.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import time

HADOOP_CP = ('/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:/opt/hadoop/current/share/hadoop/common/lib/*'
             ':/opt/hadoop/current/share/hadoop/hdfs/*:/opt/hadoop/current/share/hadoop/hdfs/lib/*')
LOAD_DIR = '/tmp/rolling-load'
# The client (RollingClient.java beside this file), run from its source.
CLIENT_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'RollingClient.java')
CLIENT = '/tmp/RollingClient.java'
# Run in the load directory.
CLIENT_COMMAND = 'java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "%(cp)s" %(client)s %(dir)s %(dir)s 2>> err.log'

LOAD = r'''
set -u
rm -rf %(dir)s && mkdir -p %(dir)s && cd %(dir)s
(while [ ! -e stop ]; do
   line="$(date +%%s.%%N)"
   for dn in %(datanodes)s; do
     if curl -sf --max-time 1 -o /dev/null "http://$dn:9864/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo"
     then line="$line $dn=up"; else line="$line $dn=down"; fi
   done
   echo "$line" >> dn.log
   line="$(date +%%s.%%N)"
   for zk in %(zookeepers)s; do
     mode=$(timeout 2 bash -c "exec 3<>/dev/tcp/$zk/2181; printf srvr >&3; cat <&3" 2>/dev/null | sed -n 's/^Mode: //p')
     line="$line $zk=${mode:-none}"
   done
   echo "$line" >> zk.log
   line="$(date +%%s.%%N)"
   for nn in %(namenodes)s; do
     state=$(curl -sf --max-time 1 "http://$nn:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeStatus" \
             | sed -n 's/.*"State" : "\([a-z]*\)".*/\1/p')
     line="$line namenode:$nn=${state:-none}"
   done
   for rm in %(resourcemanagers)s; do
     state=$(curl -sf --max-time 1 "http://$rm:8088/ws/v1/cluster/info" | sed -n 's/.*"haState":"\([A-Z]*\)".*/\1/p')
     line="$line resourcemanager:$rm=${state:-none}"
   done
   [ -z "%(namenodes)s%(resourcemanagers)s" ] || echo "$line" >> ha.log
   sleep 0.5
 done) &
''' + CLIENT_COMMAND + '''
wait
'''


def run_in(container, command):
    """bash -c command in the container; its stdout."""
    return subprocess.run(['docker', 'exec', container, 'bash', '-c', command],
                          capture_output=True, text=True, check=False).stdout


def start_load(container, datanodes, zookeepers, namenodes=(), resourcemanagers=()):
    """The client and the samplers, running in the container until stop_load."""
    subprocess.run(['docker', 'cp', CLIENT_SOURCE, '%s:%s' % (container, CLIENT)], check=True)
    script = LOAD % {'dir': LOAD_DIR, 'cp': HADOOP_CP, 'client': CLIENT, 'datanodes': ' '.join(datanodes),
                     'zookeepers': ' '.join(zookeepers), 'namenodes': ' '.join(namenodes),
                     'resourcemanagers': ' '.join(resourcemanagers)}
    return _started(container, script)


def start_client(container):
    """The client alone, running in the container until stop_load."""
    subprocess.run(['docker', 'cp', CLIENT_SOURCE, '%s:%s' % (container, CLIENT)], check=True)
    return _started(container, 'rm -rf %(dir)s && mkdir -p %(dir)s && cd %(dir)s && exec ' % {'dir': LOAD_DIR}
                    + CLIENT_COMMAND % {'dir': LOAD_DIR, 'cp': HADOOP_CP, 'client': CLIENT})


def _started(container, script):
    """The process running script in the container, once the client's first read is done."""
    client = subprocess.Popen(['docker', 'exec', '-i', container, 'bash', '-c', script],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while 'cat 1 ok' not in run_in(container, 'cat %s/ops.log 2>/dev/null' % LOAD_DIR) and time.time() < deadline:
        time.sleep(1)
    return client


def stop_load(container, client):
    run_in(container, 'touch %s/stop' % LOAD_DIR)
    client.wait(timeout=120)


def load_log(container, name):
    """A log of the load as lines of fields."""
    return [line.split() for line in run_in(container, 'cat %s/%s' % (LOAD_DIR, name)).splitlines()]


def samples(container, name, count):
    """A sampler's log: [(time, {name: state})], the complete lines only."""
    found = []
    for fields in load_log(container, name):
        if len(fields) == count + 1 and all(field.count('=') == 1 for field in fields[1:]):
            found.append((float(fields[0]), dict(field.split('=') for field in fields[1:])))
    return found


def failed_operations(container):
    """The client's failed operations, with the last lines of its errors."""
    failed = [op for op in load_log(container, 'ops.log') if op[3] != 'ok']
    return failed, run_in(container, 'tail -20 %s/err.log' % LOAD_DIR) if failed else ''


# A Spark job with a shuffle (reduceByKey, its map output served by the
# NodeManagers' shuffle service), run round after round until the HDFS file
# named by its first argument exists (three seconds between rounds, to leave
# the machine to the restarts); every round's sums are checked, and the number of
# rounds is written under its second argument.
SHUFFLE_JOB = r'''
import sys
import time
from operator import add
from pyspark import SparkContext

sc = SparkContext.getOrCreate()
stop = sc._jvm.org.apache.hadoop.fs.Path(sys.argv[1])
fs = stop.getFileSystem(sc._jsc.hadoopConfiguration())
expected = dict((key, sum(range(key, 20000, 97))) for key in range(97))
rounds = 0
while not fs.exists(stop) and rounds < 3000:
    got = dict(sc.parallelize(range(20000), 8).map(lambda x: (x % 97, x)).reduceByKey(add, 6).collect())
    if got != expected:
        raise RuntimeError('round %d: the shuffle returned wrong sums' % rounds)
    rounds += 1
    time.sleep(3)
sc.parallelize([rounds], 1).saveAsTextFile(sys.argv[2])
'''
SHUFFLE_NAME = 'rolling-shuffle'
SHUFFLE_STOP = '/tmp/rolling-shuffle-stop'
SHUFFLE_OUT = '/tmp/rolling-shuffle-out'


def fs_in(container, user, *args):
    """Hadoop's FsShell in the container as user: (rc, stdout, stderr)."""
    done = subprocess.run(['docker', 'exec', '-e', 'HADOOP_USER_NAME=' + user, container,
                           'java', '-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', HADOOP_CP, 'org.apache.hadoop.fs.FsShell'] + list(args),
                          capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def shuffle_app(container, resourcemanagers):
    """The active ResourceManager's record of the shuffle job (None before it is submitted)."""
    for resourcemanager in resourcemanagers:
        body = run_in(container, 'curl -sS -f "http://%s:8088/ws/v1/cluster/apps?applicationTypes=SPARK"'
                      % resourcemanager)
        # A standby ResourceManager answers with a redirect and a line of text.
        if body.startswith('{'):
            apps = (json.loads(body).get('apps') or {}).get('app') or []
            apps = [app for app in apps if app['name'] == SHUFFLE_NAME]
            return max(apps, key=lambda app: app['startedTime']) if apps else None
    return None


def submit_shuffle_job(container, resourcemanagers):
    """Start the shuffle job in cluster mode and wait until it runs; the spark-submit process."""
    run_in(container, "cat > /tmp/rolling_shuffle.py <<'EOF'\n%sEOF\nchmod 644 /tmp/rolling_shuffle.py" % SHUFFLE_JOB)
    fs_in(container, 'hdfs', '-rm', '-r', '-f', SHUFFLE_STOP, SHUFFLE_OUT)
    submit = subprocess.Popen(
        ['docker', 'exec', container, 'su', '-s', '/bin/sh', 'spark', '-c',
         'cd /tmp && JAVA_HOME=$(dirname $(dirname $(readlink -f /usr/bin/java))) SPARK_CONF_DIR=/etc/spark/conf '
         'HADOOP_CONF_DIR=/etc/hadoop/conf /opt/spark/current/bin/spark-submit --master yarn --deploy-mode cluster '
         '--name %s /tmp/rolling_shuffle.py %s %s' % (SHUFFLE_NAME, SHUFFLE_STOP, SHUFFLE_OUT)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and submit.poll() is None:
        app = shuffle_app(container, resourcemanagers)
        if app and app['state'] == 'RUNNING' and app.get('runningContainers', 0) > 1:
            return submit
        time.sleep(3)
    submit.kill()
    raise AssertionError('the shuffle job did not run: %s\n%s'
                         % (shuffle_app(container, resourcemanagers), submit.communicate()[0][-3000:]))


def stop_shuffle_job(container, submit):
    """Tell the job to finish its round and stop; (spark-submit's exit code, its output)."""
    fs_in(container, 'spark', '-touchz', SHUFFLE_STOP)
    try:
        output = submit.communicate(timeout=600)[0]
    except subprocess.TimeoutExpired:
        submit.kill()
        output = submit.communicate()[0]
    return submit.returncode, output


def shuffle_rounds(container):
    """The number of rounds the finished shuffle job wrote (None if it wrote none)."""
    rc, out, err = fs_in(container, 'spark', '-cat', SHUFFLE_OUT + '/part-*')
    return int(out.strip()) if rc == 0 and out.strip().isdigit() else None
