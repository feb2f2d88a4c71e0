# -*- coding: utf-8 -*-
"""The HA cluster, deployed on the Hadoop and Spark versions of its
inventory, upgraded to NEW and SPARK_NEW by upgrade.yml while a client writes
and reads through the nameservice and a Spark job (of the old Spark, through
the NodeManagers' shuffle service) shuffles: refused before any change when the
request or the cluster is wrong; an upgrade stopped once the NameNodes run
NEW and rolled back with downgrade.yml; then, under load, the controller
killed with SIGKILL among the DataNode batches and run again, finalizing:
every daemon on NEW, asked with clients independent of the collection, the
data read back with its checksums, the running job finished on the old
Spark and a new one run on the new Spark; and a last run that changes nothing. The
steps run in order on one cluster."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import signal
import subprocess
import time

from conftest import (CLIENT, CONTAINERS, GROUPS, HOSTVARS, INVENTORY, NAMENODES, PROJECT, RESOURCEMANAGERS, WORKERS,
                      ZOOKEEPERS, cluster_ids, get_json, http, keep, nn_bean, nn_url, on, playbook_env, rm_url,
                      run_playbook, wait_for)
from test_ha_bad_input import snapshot
from workload import (failed_operations, fs_in, load_log, shuffle_app, start_load, stop_load, stop_shuffle_job,
                      submit_shuffle_job)

OLD = HOSTVARS[NAMENODES[0]]['hadoop_version']
NEW = '3.5.0'
SPARK_OLD = HOSTVARS[CLIENT]['spark_version']
SPARK_NEW = '4.3.0'
SPARK_HISTORY = GROUPS['spark_historyservers'][0]
DATA = '/upgrade-data'
FILES = 3
# What the upgrade kept on the controller before it started: this cluster's
# reports, named after it (other clusters' reports may be there too).
REPORTS = os.path.expanduser('~/.cache/datafleet-hadoop/upgrade-reports')
CLUSTER = HOSTVARS[NAMENODES[0]]['hadoop_cluster_name']
HADOOP_DAEMONS = {
    'namenode': 'hadoop-hdfs-namenode', 'zkfc': 'hadoop-hdfs-zkfc', 'journalnode': 'hadoop-hdfs-journalnode',
    'datanode': 'hadoop-hdfs-datanode', 'resourcemanager': 'hadoop-yarn-resourcemanager',
    'nodemanager': 'hadoop-yarn-nodemanager', 'historyserver': 'hadoop-mapreduce-historyserver',
}
STATE = {}
# The client's container, for the workload's functions.
BOX = CONTAINERS[CLIENT]


def upgrade(*extra):
    return run_playbook('upgrade.yml', INVENTORY, 'hadoop_version=%s' % NEW, 'spark_version=%s' % SPARK_NEW, *extra)


def recap(result):
    return [line for line in result.stdout.splitlines() if ' : ok=' in line]


def phases(result):
    """(phase, seconds) for each "Phase done" line of a run, in order."""
    return [(name, int(took)) for name, took in re.findall(r'Phase done: (.+?) in (\d+) s', result.text)]


def checksums_of_the_data():
    """sha256 of each file of DATA as HDFS serves it, computed in the client container."""
    out = on(CLIENT, 'cd /tmp && for i in $(seq 1 %d); do '
                     'HADOOP_USER_NAME=hdfs java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC '
                     '-cp "/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:'
                     '/opt/hadoop/current/share/hadoop/common/lib/*:/opt/hadoop/current/share/hadoop/hdfs/*:'
                     '/opt/hadoop/current/share/hadoop/hdfs/lib/*" org.apache.hadoop.fs.FsShell -cat %s/part$i '
                     '| sha256sum | cut -d" " -f1; done' % (FILES, DATA)).stdout
    return out.split()


def running_dirs():
    """host -> {unit: versioned directory on its main process's command line} (bash in the containers)."""
    found = {}
    for host in sorted(CONTAINERS):
        script = ('for u in %s; do pid=$(systemctl show -p MainPID --value $u); [ "$pid" != 0 ] || continue; '
                  'echo "$u $(tr "\\0" "\\n" < /proc/$pid/cmdline | grep -o "/opt/hadoop/hadoop-[^/]*" | sort -u)"; done'
                  % ' '.join(HADOOP_DAEMONS.values()))
        found[host] = dict(line.split(' ', 1) for line in on(host, script).stdout.splitlines() if ' ' in line)
    return found


def versions_reported():
    """What the daemons say they run: the NameNodes' JMX, the DataNodes in the active NameNode's list, the
    ResourceManagers' and the history server's REST APIs, the NodeManagers in the ResourceManager's list."""
    reported = {}
    for host in NAMENODES:
        reported['namenode ' + host] = nn_bean(host, 'NameNodeInfo')['SoftwareVersion']
    for host in RESOURCEMANAGERS:
        reported['resourcemanager ' + host] = get_json(rm_url(host) + '/ws/v1/cluster/info')['clusterInfo']['hadoopVersion']
    active = [host for host in NAMENODES if nn_bean(host, 'NameNodeStatus')['State'] == 'active'][0]
    for name, node in json.loads(nn_bean(active, 'NameNodeInfo')['LiveNodes']).items():
        reported['datanode ' + name.split(':')[0]] = node['version']
    for resourcemanager in RESOURCEMANAGERS:
        status, body = http(rm_url(resourcemanager) + '/ws/v1/cluster/nodes')
        if status == 200 and body.startswith('{'):
            for node in json.loads(body)['nodes']['node']:
                reported['nodemanager ' + node['nodeHostName']] = node['version']
    for host in GROUPS['historyservers']:
        reported['historyserver ' + host] = get_json('http://%s:19888/ws/v1/history/info' % host)['historyInfo']['hadoopVersion']
    return reported


def assert_everything_runs(version):
    reported = versions_reported()
    assert len(reported) == len(NAMENODES) + len(RESOURCEMANAGERS) + 2 * len(WORKERS) + len(GROUPS['historyservers'])
    assert set(reported.values()) == {version}, reported
    dirs = running_dirs()
    wrong = dict((host, units) for host, units in dirs.items() if set(units.values()) != {'/opt/hadoop/hadoop-' + version})
    assert not wrong, wrong
    # The JournalNodes and ZKFCs, which report no version over HTTP, were read from their processes above.
    assert sum(1 for units in dirs.values() if 'hadoop-hdfs-journalnode' in units) == len(GROUPS['journalnodes'])
    assert sum(1 for units in dirs.values() if 'hadoop-hdfs-zkfc' in units) == len(NAMENODES)


def spark_in_use():
    """What runs which Spark: the history server (its REST API), each NodeManager (the shuffle service jar its
    process holds open), the client (where its current link points, the archive spark-defaults.conf names and
    whether that archive is in HDFS)."""
    used = {'history server': get_json('http://%s:18080/api/v1/version' % SPARK_HISTORY)['spark']}
    for host in WORKERS:
        # Only the process's user may read its descriptors here.
        jars = on(host, 'pid=$(systemctl show -p MainPID --value hadoop-yarn-nodemanager); '
                        'su -s /bin/sh $(ps -o user= -p $pid) -c "ls -l /proc/$pid/fd" '
                        '| grep -o "spark-[0-9.]*-yarn-shuffle.jar" | sort -u').stdout.split()
        used['shuffle service ' + host] = ' '.join(jar[len('spark-'):-len('-yarn-shuffle.jar')] for jar in jars)
    used['client'] = on(CLIENT, 'basename $(readlink -f /opt/spark/current)').stdout.strip()
    archive = on(CLIENT, 'grep "^spark.yarn.archive " /etc/spark/conf/spark-defaults.conf').stdout.split()[1]
    used['archive'] = re.search(r'/apps/spark/([^/]+)/', archive).group(1)
    assert fs_in(BOX, 'spark', '-test', '-f', archive)[0] == 0, archive
    return used


def assert_spark_runs(version):
    used = spark_in_use()
    assert set(used.values()) == {version, 'spark-%s-bin-hadoop3' % version}, used


def spark_app_versions(app_id):
    """appSparkVersion of each attempt of an application, from the history server (none while it is not listed)."""
    status, body = http('http://%s:18080/api/v1/applications/%s' % (SPARK_HISTORY, app_id))
    return [attempt.get('appSparkVersion') for attempt in json.loads(body)['attempts']] if status == 200 else []


def rolling_upgrade_status():
    statuses = [nn_bean(host, 'NameNodeInfo')['RollingUpgradeStatus'] for host in NAMENODES]
    return statuses[0] if statuses[0] == statuses[1] else statuses


def fsck_healthy():
    active = [host for host in NAMENODES if nn_bean(host, 'NameNodeStatus')['State'] == 'active'][0]
    status, body = http(nn_url(active) + '/fsck?ugi=hdfs&path=/')
    return status == 200 and 'is HEALTHY' in body, body[-1500:]


def test_the_cluster_runs_the_old_version_with_a_dataset():
    assert OLD != NEW and SPARK_OLD != SPARK_NEW
    assert_everything_runs(OLD)
    assert_spark_runs(SPARK_OLD)
    on(CLIENT, 'mkdir -p /tmp/upgrade-data && cd /tmp/upgrade-data && for i in $(seq 1 %d); do '
               'head -c $((3000000 + i * 77777)) /dev/urandom > part$i; done' % FILES)
    rc, out, err = fs_in(BOX, 'hdfs', '-mkdir', '-p', DATA)
    assert rc == 0, err
    rc, out, err = fs_in(BOX, 'hdfs', '-put', '-f', *['/tmp/upgrade-data/part%d' % i for i in range(1, FILES + 1)] + [DATA])
    assert rc == 0, err
    STATE['local'] = on(CLIENT, 'cd /tmp/upgrade-data && sha256sum part* | cut -d" " -f1').stdout.split()
    assert checksums_of_the_data() == STATE['local']
    STATE['cluster_ids'] = cluster_ids()


def test_a_downgrade_through_upgrade_yml_is_refused_before_any_change():
    before = snapshot()
    result = run_playbook('upgrade.yml', INVENTORY, 'hadoop_version=3.3.6')
    assert result.returncode != 0
    assert 'is older than what the cluster runs' in result.text and 'Nothing was changed' in result.text, \
        result.stdout[-3000:]
    assert snapshot() == before


def test_an_upgrade_without_an_artifact_is_refused_before_any_change():
    before = snapshot()
    result = upgrade('hadoop_artifact_source=file', 'hadoop_artifact_file=/nonexistent/hadoop-%s.tar.gz' % NEW)
    assert result.returncode != 0
    assert 'does not exist on the controller' in result.text, result.stdout[-3000:]
    assert snapshot() == before


def test_an_upgrade_with_a_datanode_down_is_refused_before_any_change():
    stopped = WORKERS[-1]
    on(stopped, 'systemctl stop hadoop-hdfs-datanode')
    try:
        time.sleep(32)  # the NameNode hears nothing from it for 30 s
        before = snapshot()
        result = upgrade()
        assert result.returncode != 0
        assert 'have sent no heartbeat' in result.text and stopped in result.text, result.stdout[-3000:]
        assert snapshot() == before
    finally:
        on(stopped, 'systemctl start hadoop-hdfs-datanode')
    wait_for(lambda: all(node['lastContact'] < 5 for node in json.loads(nn_bean(NAMENODES[0], 'NameNodeInfo')['LiveNodes']).values()),
             180, 'the DataNode to report again')


def test_an_upgrade_during_a_decommission_is_refused_before_any_change():
    # With two DataNodes and replication 2 this decommission cannot end: it stays in progress. Started and ended
    # by hand, through the NameNodes' hosts file and dfsadmin -refreshNodes.
    leaving = WORKERS[-1]
    hosts_file = '/etc/hadoop/conf/dfs.hosts.json'
    original = on(NAMENODES[0], 'cat %s' % hosts_file).stdout
    entries = json.loads(original)
    for entry in entries:
        if entry['hostName'] == leaving:
            entry['adminState'] = 'DECOMMISSIONED'
    refresh = ('HADOOP_USER_NAME=hdfs java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:'
               '/opt/hadoop/current/share/hadoop/common/lib/*:/opt/hadoop/current/share/hadoop/hdfs/*:'
               '/opt/hadoop/current/share/hadoop/hdfs/lib/*" org.apache.hadoop.hdfs.tools.DFSAdmin -refreshNodes')
    for host in NAMENODES:
        on(host, "cat > %s <<'EOF'\n%s\nEOF" % (hosts_file, json.dumps(entries, indent=2)))
    try:
        on(NAMENODES[0], refresh)
        wait_for(lambda: leaving in nn_bean(NAMENODES[0], 'NameNodeInfo')['DecomNodes']
                 or leaving in nn_bean(NAMENODES[1], 'NameNodeInfo')['DecomNodes'], 60, 'the decommission to start')
        before = snapshot()
        result = upgrade()
        assert result.returncode != 0
        assert 'being decommissioned or are in maintenance' in result.text and leaving in result.text, \
            result.stdout[-3000:]
        assert snapshot() == before
    finally:
        for host in NAMENODES:
            on(host, "cat > %s <<'EOF'\n%sEOF" % (hosts_file, original))
        on(NAMENODES[0], refresh)
    wait_for(lambda: not json.loads(nn_bean(NAMENODES[0], 'NameNodeInfo')['DecomNodes'] or '{}')
             and not json.loads(nn_bean(NAMENODES[1], 'NameNodeInfo')['DecomNodes'] or '{}'),
             120, 'the decommission to end')


def killed_at(pattern, *extra):
    """Run upgrade.yml and SIGKILL it, process group and all, at the first output line matching `pattern`."""
    argv = ['ansible-playbook', '-i', INVENTORY, os.path.join(PROJECT, 'playbooks', 'upgrade.yml'),
            '-e', 'hadoop_version=%s' % NEW, '-e', 'spark_version=%s' % SPARK_NEW]
    argv += [arg for value in extra for arg in ('-e', value)]
    run = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=playbook_env(),
                           cwd=PROJECT, start_new_session=True)
    seen = []
    for line in run.stdout:
        seen.append(line)
        if re.search(pattern, line):
            os.killpg(run.pid, signal.SIGKILL)
            break
    run.wait()
    keep(argv, ''.join(seen))
    assert run.returncode == -signal.SIGKILL, ''.join(seen)[-3000:]
    # Every host went along until the kill.
    dropped = [line for line in seen if line.startswith(('fatal: ', 'failed: ')) or 'UNREACHABLE!' in line]
    assert not dropped, dropped


def read_in_hdfs(path):
    return on(CLIENT, 'cd /tmp && HADOOP_USER_NAME=hdfs java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "/etc/hadoop/conf:/opt/hadoop/current/share/'
                      'hadoop/common/*:/opt/hadoop/current/share/hadoop/common/lib/*:/opt/hadoop/current/share/hadoop/'
                      'hdfs/*:/opt/hadoop/current/share/hadoop/hdfs/lib/*" org.apache.hadoop.fs.FsShell -cat %s '
                      '| sha256sum | cut -d" " -f1' % path).stdout.strip()


def test_an_upgrade_stopped_part_way_then_rolled_back():
    # Stopped once the JournalNodes and NameNodes run NEW, the DataNodes and YARN still OLD.
    killed_at(r'Phase done: NameNodes')
    assert rolling_upgrade_status()['createdRollbackImages'] is True
    reported = versions_reported()
    assert set(v for k, v in reported.items() if k.startswith('namenode')) == {NEW}, reported
    assert set(v for k, v in reported.items() if k.startswith('datanode')) == {OLD}, reported
    # Written while the NameNodes run NEW: HDFS's rolling downgrade keeps it (a rollback would not).
    on(CLIENT, 'head -c 1234567 /dev/urandom > /tmp/upgrade-data/during')
    rc, out, err = fs_in(BOX, 'hdfs', '-put', '-f', '/tmp/upgrade-data/during', DATA + '/during')
    assert rc == 0, err
    during = on(CLIENT, 'sha256sum /tmp/upgrade-data/during | cut -d" " -f1').stdout.strip()
    result = run_playbook('downgrade.yml', INVENTORY, 'hadoop_version=%s' % OLD)
    assert result.returncode == 0, result.stdout[-4000:]
    # HDFS's rolling downgrade: the DataNodes go back before the NameNodes.
    order = [phase for phase, dummy in phases(result)]
    assert order.index('DataNodes') < order.index('NameNodes'), order
    assert_everything_runs(OLD)
    assert_spark_runs(SPARK_OLD)
    assert rolling_upgrade_status() is None
    assert checksums_of_the_data() == STATE['local']
    assert read_in_hdfs(DATA + '/during') == during
    assert cluster_ids() == STATE['cluster_ids']
    healthy, report = fsck_healthy()
    assert healthy, report


def test_upgrade_under_load_with_the_controller_killed_among_the_datanodes_then_finalized():
    kept = set(os.listdir(REPORTS)) if os.path.isdir(REPORTS) else set()
    client = start_load(BOX, WORKERS, ZOOKEEPERS, NAMENODES, RESOURCEMANAGERS)
    job = submit_shuffle_job(BOX, RESOURCEMANAGERS)
    try:
        killed_at(r'DataNode batch 1/\d+ \(.*\) back', 'hadoop_upgrade_finalize=true')
        # Killed between two DataNode batches: the rolling upgrade is prepared, some daemons run NEW.
        assert rolling_upgrade_status()['createdRollbackImages'] is True
        assert NEW in versions_reported().values() and OLD in versions_reported().values()
        again = upgrade('hadoop_upgrade_finalize=true')
        assert again.returncode == 0, again.stdout[-4000:]
        assert 'resuming the rolling upgrade in progress' in again.text
        # No daemon restarted twice: the NameNodes and JournalNodes, done before the kill, are not restarted again.
        assert 'NameNode host 1/' not in again.text and 'JournalNode 1/' not in again.text, again.stdout[-4000:]
    finally:
        code, job_output = stop_shuffle_job(BOX, job)
        stop_load(BOX, client)
    assert code == 0, job_output[-3000:]
    assert shuffle_app(BOX, RESOURCEMANAGERS)['finalStatus'] == 'SUCCEEDED'
    failed, errors = failed_operations(BOX)
    operations = load_log(BOX, 'ops.log')
    assert operations and not failed, (failed, errors)
    print('client operations: %d, none failed; the longest took %.1f s'
          % (len(operations), max(float(op[4]) for op in operations if len(op) > 4)))
    took = dict(phases(again))
    assert all(phase in took for phase in ('JournalNodes', 'NameNodes', 'DataNodes', 'ResourceManagers',
                                           'NodeManagers')), took
    assert took['DataNodes'] > 0, took
    assert_everything_runs(NEW)
    assert_spark_runs(SPARK_NEW)
    # The job submitted before the upgrade ran to its end on the old Spark, from the old archive (which stays in
    # HDFS); one submitted now runs on the new Spark.
    assert '/apps/spark/%s/spark-jars.tar' % SPARK_OLD in job_output, job_output[-3000:]
    pi = on(CLIENT, 'su -s /bin/sh spark -c "cd /tmp && JAVA_HOME=$(dirname $(dirname $(readlink -f /usr/bin/java))) '
                    'SPARK_CONF_DIR=/etc/spark/conf HADOOP_CONF_DIR=/etc/hadoop/conf /opt/spark/current/bin/spark-submit '
                    '--master yarn --deploy-mode cluster /opt/spark/current/examples/src/main/python/pi.py 4" 2>&1',
            check=False)
    assert pi.returncode == 0 and 'final status: SUCCEEDED' in pi.stdout, pi.stdout[-3000:]
    app_id = re.findall(r'application_\d+_\d+', pi.stdout)[-1]
    wait_for(lambda: spark_app_versions(app_id) == [SPARK_NEW], 120, 'the history server to list the new Spark job')
    healthy, report = fsck_healthy()
    assert healthy, report
    assert checksums_of_the_data() == STATE['local']
    assert cluster_ids() == STATE['cluster_ids']
    # Finalized: no rollback image, no NameNode drop-in.
    assert rolling_upgrade_status() is None
    assert all(nn_bean(host, 'NameNodeInfo')['UpgradeFinalized'] for host in NAMENODES)
    for host in NAMENODES:
        assert not on(host, 'ls /etc/systemd/system/hadoop-hdfs-namenode.service.d/ 2>/dev/null', check=False).stdout.strip()
    fsck_reports = sorted(name for name in os.listdir(REPORTS)
                          if name.startswith(CLUSTER + '-') and name.endswith('-fsck.txt') and name not in kept)
    assert fsck_reports
    with open(os.path.join(REPORTS, fsck_reports[0].replace('-fsck.txt', '-report.json'))) as handle:
        report = json.load(handle)
    # Kept by the first run before its first change: every DataNode live, on the old version.
    assert sorted(node['host'] for node in report['live_nodes']) == sorted(WORKERS)
    assert set(node['version'] for node in report['live_nodes']) == {OLD}


def test_a_finalized_upgrade_run_again_changes_nothing():
    again = upgrade()
    assert again.returncode == 0, again.stdout[-4000:]
    assert 'nothing to upgrade' in again.text
    lines = recap(again)
    assert len(lines) == len(CONTAINERS) + 1 and all('changed=0 ' in line for line in lines), '\n'.join(lines)
