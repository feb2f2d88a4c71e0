# -*- coding: utf-8 -*-
"""Bad input gets a clear error before any host changes.

Each case runs site.yml against the converged scenario with one mistake, and
asserts the failure, its message, and that no file and no daemon changed on
any node (file modification times and daemon start times are identical)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest
import yaml

from conftest import CONTAINERS, INVENTORY_DIR, run_site

UNITS = ('hadoop-hdfs-namenode', 'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager',
         'hadoop-yarn-nodemanager', 'hadoop-mapreduce-historyserver', 'spark-history-server')
WATCHED = '/etc/hadoop/conf /etc/spark/conf /etc/systemd/system /opt/hadoop /opt/spark /var/lib/datafleet'


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


def inventory_without(tmp_path, group):
    with open(os.path.join(INVENTORY_DIR, 'hosts.yml')) as handle:
        hosts = yaml.safe_load(handle)
    del hosts['hadoop']['children'][group]
    (tmp_path / 'hosts.yml').write_text(yaml.safe_dump(hosts))
    shutil.copytree(os.path.join(INVENTORY_DIR, 'group_vars'), str(tmp_path / 'group_vars'))
    return str(tmp_path)


ZEROS = '0' * 128

CASES = [
    ('no_namenode', {'without': 'namenodes'}, [], "exactly one host in group 'namenodes'"),
    ('no_datanode', {'without': 'datanodes'}, [], "at least one in 'datanodes'"),
    ('replication', {}, [{'hadoop_hdfs_site': {'dfs.replication': 3}}],
     'dfs.replication is 3 but the inventory has only 2 DataNode(s)'),
    ('bad_checksum', {}, ['hadoop_artifact_checksum=' + ZEROS], 'expected ' + ZEROS),
    ('no_artifact_source', {}, ['hadoop_artifact_source=file'], 'No artifact source is configured for hadoop'),
    ('java_home', {}, ['hadoop_java_home=/opt/no-such-java'], 'hadoop_java_home=/opt/no-such-java on'),
    ('config_value', {}, [{'hadoop_core_site': {'io.file.buffer.size': [1, 2]}}],
     'the value of io.file.buffer.size is a list'),
    ('spark_value', {}, [{'spark_defaults': {'spark.executor.instances': {'min': 1}}}],
     'spark-defaults.conf: the value of spark.executor.instances is a dict'),
    ('misspelled', {}, ['hdfs_namenode_heap_mbb=512'],
     'hdfs_namenode_heap_mbb is not a variable of datafleet.hadoop (did you mean hdfs_namenode_heap_mb?)'),
    ('wrong_type', {}, ['yarn_nodemanager_heap_mb=lots'], "argument 'yarn_nodemanager_heap_mb' is of type"),
]


@pytest.mark.parametrize('name, inventory_change, extra, message', CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_host_changes(tmp_path, name, inventory_change, extra, message):
    inventory = INVENTORY_DIR
    if 'without' in inventory_change:
        inventory = inventory_without(tmp_path, inventory_change['without'])
    before = snapshot()
    result = run_site(inventory, *extra)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert message in ' '.join(output.split()), output[-3000:]
    assert 'Traceback' not in output
    assert snapshot() == before
