# -*- coding: utf-8 -*-
"""Bad input gets a clear error before any host changes.

Each case runs site.yml (or rolling_restart.yml) against the converged
scenario with one mistake, and asserts the failure and its message; no file
and no daemon changed on any node across all the cases (file modification
times and daemon start times are identical before and after). The cases run
four at a time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import CONTAINERS, INVENTORY_DIR, run_site

UNITS = ('hadoop-hdfs-namenode', 'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager',
         'hadoop-yarn-nodemanager', 'hadoop-mapreduce-historyserver', 'spark-history-server', 'zookeeper-server')
WATCHED = ('/etc/hadoop/conf /etc/spark/conf /etc/zookeeper/conf /etc/systemd/system /opt/hadoop /opt/spark '
           '/opt/zookeeper /var/lib/datafleet /var/lib/zookeeper')


def snapshot():
    """Modification times of the managed files and start times of the daemons, per node."""
    state = {}
    for container in sorted(CONTAINERS.values()):
        files = subprocess.run(
            ['docker', 'exec', container, 'sh', '-c',
             'find %s -maxdepth 2 -printf "%%p %%T@\\n" 2>/dev/null | sort' % WATCHED],
            capture_output=True, text=True, check=True).stdout
        starts = subprocess.run(
            ['docker', 'exec', container, 'systemctl', 'show', '-p', 'Id,ExecMainStartTimestampMonotonic'] + [
                u + '.service' for u in UNITS],
            capture_output=True, text=True, check=True).stdout
        state[container] = (files, starts)
    return state


def changed_topology(tmp_path, change):
    """A copy of the scenario's inventory whose topology file has one mistake."""
    with open(os.path.join(INVENTORY_DIR, 'cluster.yml')) as handle:
        topology = yaml.safe_load(handle)
    change(topology)
    (tmp_path / 'cluster.yml').write_text(yaml.safe_dump(topology))
    shutil.copytree(os.path.join(INVENTORY_DIR, 'group_vars'), str(tmp_path / 'group_vars'))
    return str(tmp_path)


def _without_service(profile, service):
    return lambda t: t['profiles'][profile]['services'].remove(service)


ZEROS = '0' * 128

CASES = [
    ('no_namenode', {'topology': _without_service('master', 'namenode')}, [],
     'no host runs a NameNode: add namenode to the services of a profile'),
    ('no_datanode', {'topology': _without_service('worker', 'datanode')}, [],
     'no host runs a DataNode: add datanode to the services of a profile'),
    ('topology_typo', {'topology': lambda t: t['profiles']['worker'].update(service=['datanode'])}, [],
     "profile 'worker': unknown key 'service' (did you mean 'services'?)"),
    ('topology_replication', {'topology': lambda t: t['cluster']['config']['hdfs_site'].update(
        {'dfs.replication': 3})}, [], 'dfs.replication is 3 but only 2 hosts run a DataNode'),
    ('topology_range', {'topology': lambda t: t['hosts'].update({'mt-worker[3:4.dfmol': {'profile': 'worker'}})},
     [], "host pattern 'mt-worker[3:4.dfmol': unbalanced or nested brackets"),
    ('replication', {}, [{'hadoop_hdfs_site': {'dfs.replication': 3}}],
     'dfs.replication is 3 but the inventory has only 2 DataNode(s)'),
    ('bad_checksum', {}, ['hadoop_artifact_checksum=' + ZEROS], 'expected ' + ZEROS),
    ('no_artifact_source', {}, ['hadoop_artifact_source=file'], 'No artifact source is configured for hadoop'),
    # Pulled artifacts come from a URL: a built or local artifact cannot be pulled.
    ('pull_built_artifact', {}, ['hadoop_artifact_delivery=pull'],
     'hadoop_artifact_delivery is pull, but hadoop_artifact_source is build and spark_artifact_source is build and '
     'zookeeper_artifact_source is build'),
    # The ZooKeeper ensemble (three servers, ids 1, 2 and 3 on disk).
    ('zookeeper_same_id', {}, ['zookeeper_myid=1'],
     'zookeeper_myid 1 is given to mt-master.dfmol and mt-worker1.dfmol and mt-worker2.dfmol'),
    ('zookeeper_managed_key', {}, [{'zookeeper_config': {'dataDir': '/tmp/zk'}}],
     'mt-master.dfmol: zoo.cfg dataDir comes from zookeeper_data_dir'),
    ('zookeeper_value', {}, [{'zookeeper_config': {'tickTime': [2000]}}],
     'zoo.cfg: the value of tickTime is a list'),
    ('zookeeper_new_id', {'topology': lambda t: t['hosts']['mt-master.dfmol'].update(id=4)}, [],
     'mt-master.dfmol holds ZooKeeper data as server 3 (/var/lib/zookeeper/data/myid) but the inventory gives it '
     'zookeeper_myid 4'),
    ('sizing_negative', {}, ['hadoop_sizing_memory_mb=-5'],
     'mt-master.dfmol: hadoop_sizing_memory_mb=-5 must be a whole number above 0'),
    ('java_home', {}, ['hadoop_java_home=/opt/no-such-java'], 'hadoop_java_home=/opt/no-such-java on'),
    ('config_value', {}, [{'hadoop_core_site': {'io.file.buffer.size': [1, 2]}}],
     'the value of io.file.buffer.size is a list'),
    ('spark_value', {}, [{'spark_defaults': {'spark.executor.instances': {'min': 1}}}],
     'spark-defaults.conf: the value of spark.executor.instances is a dict'),
    ('misspelled', {}, ['hdfs_namenode_heap_mbb=512'],
     'hdfs_namenode_heap_mbb is not a variable of datafleet.hadoop (did you mean hdfs_namenode_heap_mb?)'),
    ('wrong_type', {}, ['yarn_nodemanager_heap_mb=lots'], "argument 'yarn_nodemanager_heap_mb' is of type"),
    # Secure mode: a realm Kerberos would not match, and secure mode without a KDC to get keytabs from.
    ('security_realm', {}, ['hadoop_security=kerberos', 'hadoop_kerberos_realm=example.com'],
     "hadoop_kerberos_realm 'example.com' must be upper-case letters"),
    ('security_without_kdc', {}, ['hadoop_security=kerberos', 'hadoop_kerberos_realm=EXAMPLE.COM'],
     'kerberos_client_kdcs is empty; name the KDCs of the realm EXAMPLE.COM'),
    # A restart asked for with a misspelled daemon: refused before any restart is recorded.
    ('restart_typo', {'playbook': 'rolling_restart.yml'}, [{'hadoop_restart_daemons': ['datanode', 'nodemanger']}],
     'value of hadoop_restart_daemons must be one or more of: '),
    # Settings the configuration advisor's guards refuse (the workers declare 4096 and 3072 MB).
    ('nodemanager_over_memory', {'topology': lambda t: t['hosts']['mt-worker2.dfmol'].update(
        config={'yarn_site': {'yarn.nodemanager.resource.memory-mb': 8192}})}, [],
     'mt-worker2.dfmol: yarn.nodemanager.resource.memory-mb is 8192 MB but the host has 3072 MB'),
    ('heaps_over_memory', {}, ['hdfs_namenode_heap_mb=4096'],
     'mt-master.dfmol: NodeManager memory 0 MB + daemon heaps (hdfs_namenode_heap_mb 4096 MB,'),
    ('executor_over_allocation', {}, [{'spark_defaults': {'spark.executor.memory': '4g'}}],
     'mt-master.dfmol: spark.executor.memory 4096 MB + overhead 409 MB = 4505 MB is more than '
     'yarn.scheduler.maximum-allocation-mb 3072 MB'),
]


def _run_case(tmp_path_factory, name, inventory_change, extra):
    inventory = INVENTORY_DIR
    if 'topology' in inventory_change:
        inventory = changed_topology(tmp_path_factory.mktemp(name), inventory_change['topology'])
    result = run_site(inventory, *extra, playbook=inventory_change.get('playbook', 'site.yml'))
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope='module')
def outcomes(tmp_path_factory):
    """Every case's (returncode, output), run a few at a time (each fails in its checks, on the controller
    or reading the hosts), and the snapshots before and after all of them."""
    before = snapshot()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = dict((case[0], pool.submit(_run_case, tmp_path_factory, *case[:3])) for case in CASES)
        results = dict((name, future.result()) for name, future in futures.items())
    return results, before, snapshot()


@pytest.mark.parametrize('name, inventory_change, extra, message', CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_host_changes(outcomes, name, inventory_change, extra, message):
    results, before, after = outcomes
    returncode, output = results[name]
    assert returncode != 0, output[-3000:]
    assert message in ' '.join(output.split()), output[-3000:]
    assert 'Traceback' not in output
    # No case changed a file or restarted a daemon on any node.
    assert after == before
