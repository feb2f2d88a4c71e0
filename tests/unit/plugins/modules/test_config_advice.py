# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

from ansible_collections.datafleet.hadoop.plugins.modules import config_advice
from ansible_collections.datafleet.hadoop.tests.unit.conftest import FIXTURES

CAPTURED = os.path.join(FIXTURES, 'captured')


def _host(tmp_path):
    """A worker's files as the sandbox had them, in conf/ and units/."""
    conf, units, spark = tmp_path / 'conf', tmp_path / 'units', tmp_path / 'spark'
    for path in (conf, units, spark):
        path.mkdir()
    shutil.copy(os.path.join(CAPTURED, 'sandbox_worker_yarn-site.xml'), str(conf / 'yarn-site.xml'))
    shutil.copy(os.path.join(CAPTURED, 'sandbox_worker_hdfs-site.xml'), str(conf / 'hdfs-site.xml'))
    shutil.copy(os.path.join(CAPTURED, 'sandbox_worker_hadoop-hdfs-datanode.service'),
                str(units / 'hadoop-hdfs-datanode.service'))
    return {'conf_dir': str(conf), 'spark_conf_dir': str(spark), 'unit_dir': str(units)}


RECOMMENDATION = {
    'settings': {
        'yarn_site': {'yarn.nodemanager.resource.memory-mb': 3072, 'yarn.nodemanager.resource.cpu-vcores': 4},
        'hdfs_site': {'dfs.datanode.du.reserved': 1073741824},
        'spark_defaults': {'spark.executor.memory': '2688m'},
    },
    'heap_mb': {'hdfs_datanode_heap_mb': 512, 'yarn_nodemanager_heap_mb': 256},
    'reasons': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 'containers',
                              'yarn.nodemanager.resource.cpu-vcores': 'vCPUs'},
                'hdfs_site': {'dfs.datanode.du.reserved': '10 %'},
                'heap_mb': {'hdfs_datanode_heap_mb': 'usual'}},
}


def test_compares_the_files_and_units_on_the_host(tmp_path, run_module):
    result = run_module(config_advice, dict(_host(tmp_path), recommendation=RECOMMENDATION))
    assert result['changed'] is False
    rows = dict(((r['file'], r['name']), (r['recommended'], r['in_effect'], r['differs'])) for r in result['settings'])
    assert rows == {
        ('hdfs-site.xml', 'dfs.datanode.du.reserved'): ('1073741824', '1073741824', False),
        ('yarn-site.xml', 'yarn.nodemanager.resource.memory-mb'): ('3072', '3072', False),
        # The sandbox worker has 2 vCPUs in its file.
        ('yarn-site.xml', 'yarn.nodemanager.resource.cpu-vcores'): ('4', '2', True),
    }
    # The DataNode's unit says -Xmx256m; the NodeManager has no unit in this copy.
    assert [(h['name'], h['recommended'], h['in_effect'], h['differs']) for h in result['heaps']] == [
        ('hdfs_datanode_heap_mb', 512, 256, True)]
    assert [d['name'] for d in result['differences']] == ['yarn.nodemanager.resource.cpu-vcores',
                                                          'hdfs_datanode_heap_mb']
    assert result['differences'][0]['reason'] == 'vCPUs'
    assert result['missing_files'] == [os.path.join(str(tmp_path), 'spark', 'spark-defaults.conf')]


def test_spark_defaults_are_read_as_properties(tmp_path, run_module):
    paths = _host(tmp_path)
    shutil.copy(os.path.join(CAPTURED, 'sandbox_master_spark-defaults.conf'),
                os.path.join(paths['spark_conf_dir'], 'spark-defaults.conf'))
    result = run_module(config_advice, dict(paths, recommendation=RECOMMENDATION), check_mode=True)
    spark = [r for r in result['settings'] if r['file'] == 'spark-defaults.conf']
    assert spark == [{'file': 'spark-defaults.conf', 'name': 'spark.executor.memory', 'recommended': '2688m',
                      'in_effect': '2688m', 'differs': False, 'reason': None}]
    assert result['missing_files'] == []


def test_a_broken_file_is_named(tmp_path, run_module):
    paths = _host(tmp_path)
    with open(os.path.join(paths['conf_dir'], 'yarn-site.xml'), 'w') as f:
        f.write('<configuration><property>')
    result = run_module(config_advice, dict(paths, recommendation=RECOMMENDATION))
    assert result['failed'] is True
    assert result['msg'].startswith(os.path.join(paths['conf_dir'], 'yarn-site.xml') + ': not a Hadoop configuration')
