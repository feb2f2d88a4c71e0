# -*- coding: utf-8 -*-
"""Golden tables for the sizing model: the published worked example, the
boundaries of every band, tiny and huge hosts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _sizing as sizing

GB = 1024


def test_published_example_128_gb_32_cores_12_disks():
    result = sizing.yarn(128 * GB, 32, 12)
    assert result['containers'] == 22 and result['container_mb'] == 4096
    assert result['nodemanager_memory_mb'] == 90112
    assert result['reserved_mb'] == 24 * GB and result['available_mb'] == 106496
    assert result['minimum_allocation_mb'] == 1024 and result['maximum_allocation_mb'] == 90112
    assert (result['task_mb'], result['task_heap_mb'], result['sort_mb']) == (4096, 3276, 1024)


@pytest.mark.parametrize('ram_mb, reserved', [
    (4096, 1), (4097, 2), (8192, 2), (8193, 2), (16384, 2), (16385, 4), (24576, 4), (24577, 6),
    (49152, 6), (49153, 8), (65536, 8), (65537, 8), (73728, 8), (73729, 12), (98304, 12), (98305, 24),
    (131072, 24), (131073, 32), (262144, 32), (262145, 64), (1048576, 64),
])
def test_reserved_memory_bands(ram_mb, reserved):
    assert sizing.reserved_gb(ram_mb) == reserved


@pytest.mark.parametrize('ram_mb, minimum', [
    (3072, 128), (3073, 256), (4096, 256), (4097, 512), (8192, 512), (8193, 1024), (24576, 1024),
    (24577, 2048),
])
def test_minimum_container_bands(ram_mb, minimum):
    assert sizing.min_container_mb(ram_mb) == minimum


@pytest.mark.parametrize('ram_mb, cores, disks, containers, container_mb, node_mb', [
    # tiny: three containers at least, a third of what is left each
    (2 * GB, 1, 1, 3, 341, 1023),
    (4 * GB, 2, 1, 3, 1024, 3072),
    (64 * GB, 16, 8, 15, 3072, 46080),
    (256 * GB, 48, 24, 44, 5120, 225280),
    # huge: 1 TB, 128 cores, 24 disks -> disks bound the containers
    (1024 * GB, 128, 24, 44, 21504, 946176),
])
def test_hosts_of_every_size(ram_mb, cores, disks, containers, container_mb, node_mb):
    result = sizing.yarn(ram_mb, cores, disks)
    assert (result['containers'], result['container_mb'], result['nodemanager_memory_mb']) == (
        containers, container_mb, node_mb)
    assert result['nodemanager_memory_mb'] <= ram_mb
    assert result['minimum_allocation_mb'] == min(1024, container_mb)


def test_tiny_host_mapreduce():
    result = sizing.yarn(2 * GB, 1, 1)
    assert (result['task_heap_mb'], result['sort_mb'], result['minimum_allocation_mb']) == (272, 136, 341)


def test_no_memory_or_cores_is_an_error():
    with pytest.raises(ValueError, match='a host needs memory and cores to size: got 0 MB, 4 cores'):
        sizing.yarn(0, 4, 1)


@pytest.mark.parametrize('datanodes, dirs, heap', [
    (5, 1, 1024), (10, 1, 3072), (49, 1, 3072), (50, 1, 5376), (100, 1, 9984), (200, 1, 14848),
    (300, 1, 19456), (400, 1, 24320), (500, 1, 33536), (700, 1, 47872), (100, 12, 59648), (125, 10, 71424),
    (1499, 1, 71424), (1500, 1, 94976), (3000, 12, 94976),
])
def test_namenode_heap_by_expected_files(datanodes, dirs, heap):
    assert sizing.namenode_heap_mb(datanodes, dirs)[0] == heap


def test_namenode_heap_capped_by_the_host():
    heap, files_m = sizing.namenode_heap_mb(100, 1, ram_mb=8 * GB)
    assert files_m == 10.0 and heap == 8 * GB - 2 * GB
    assert sizing.namenode_heap_mb(5, 1, ram_mb=2 * GB)[0] == 1024


@pytest.mark.parametrize('datanodes, handlers', [
    (1, 10), (2, 14), (3, 22), (100, 92), (1000, 138), (22026, 200), (30000, 200),
])
def test_namenode_handlers(datanodes, handlers):
    assert sizing.namenode_handlers(datanodes) == handlers


@pytest.mark.parametrize('dirs, tolerated', [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (12, 2)])
def test_failed_volumes_tolerated(dirs, tolerated):
    assert sizing.failed_volumes_tolerated(dirs) == tolerated


def test_spark_executors_on_64_gb_16_core_workers():
    result = sizing.spark(10, 64 * GB, 16, 46080)
    assert result == {'executor_cores': 5, 'executors_per_node': 3, 'executor_memory_mb': 19549,
                      'executor_overhead_mb': 1954, 'executor_instances': 29, 'capped_by_maximum_allocation': False}


def test_spark_executor_fits_the_yarn_maximum_allocation():
    result = sizing.spark(10, 64 * GB, 16, 8192)
    assert result['capped_by_maximum_allocation']
    assert result['executor_memory_mb'] + result['executor_overhead_mb'] <= 8192
    assert (result['executor_memory_mb'], result['executor_overhead_mb']) == (7447, 744)


def test_spark_on_a_tiny_worker():
    result = sizing.spark(1, 2 * GB, 1, 1023)
    assert result == {'executor_cores': 1, 'executors_per_node': 1, 'executor_memory_mb': 639,
                      'executor_overhead_mb': 384, 'executor_instances': 1, 'capped_by_maximum_allocation': True}


def _host(name, services, memory_gb, vcpus, data_dirs=1, **extra):
    record = {'name': name, 'services': services, 'memory_mb': int(memory_gb * GB), 'vcpus': vcpus,
              'data_dirs': data_dirs}
    record.update(extra)
    return record


MASTER = ['namenode', 'resourcemanager', 'historyserver', 'spark_history', 'spark_client']
WORKER = ['datanode', 'nodemanager']


def test_heterogeneous_workers_get_their_own_values_and_the_cluster_fits_the_smallest():
    result = sizing.plan([
        _host('m1', MASTER, 64, 16, profile='master'),
        _host('w1', WORKER, 128, 32, 12, profile='worker'),
        _host('w2', WORKER, 64, 16, 6, profile='worker'),
    ])
    assert result['errors'] == []
    hosts = result['hosts']
    # 64 GB: 8 GB reserved, 57344 MB in min(32, ceil(10.8), 28) = 11 containers of 5120 MB.
    assert hosts['w1']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 90112
    assert hosts['w2']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 56320
    assert hosts['w2']['settings']['yarn_site']['yarn.nodemanager.resource.cpu-vcores'] == 16
    # The scheduler's limits are the ResourceManager's only.
    assert hosts['m1']['settings']['yarn_site'] == {'yarn.scheduler.minimum-allocation-mb': 1024,
                                                    'yarn.scheduler.maximum-allocation-mb': 90112}
    assert 'yarn.scheduler.maximum-allocation-mb' not in hosts['w1']['settings']['yarn_site']
    # Tasks fit the smallest container (4096 MB on w1), the same on every host.
    for name in ('m1', 'w1', 'w2'):
        mapred = hosts[name]['settings']['mapred_site']
        assert mapred['mapreduce.map.memory.mb'] == 4096 and mapred['mapreduce.map.java.opts'] == '-Xmx3276m'
        assert mapred['mapreduce.task.io.sort.mb'] == 1024
    # Spark from the smallest NodeManager: 15 usable cores -> 3 executors of 5 cores sharing 56320 MB.
    spark = hosts['m1']['settings']['spark_defaults']
    assert spark == {'spark.executor.cores': 5, 'spark.executor.memory': '17066m',
                     'spark.executor.memoryOverhead': '1706m', 'spark.executor.instances': 5}
    assert hosts['m1']['settings']['hdfs_site'] == {'dfs.namenode.handler.count': 14}
    assert hosts['w1']['settings']['hdfs_site']['dfs.datanode.failed.volumes.tolerated'] == 2
    assert hosts['w2']['settings']['hdfs_site']['dfs.datanode.max.transfer.threads'] == 4096
    assert hosts['w1']['settings']['hdfs_site']['dfs.datanode.max.transfer.threads'] == 8192
    # 2 DataNodes x 12 directories -> 2.4 M files -> 3072 MB; the other master daemons 1024 MB.
    assert hosts['m1']['heap_mb'] == {'hdfs_namenode_heap_mb': 3072, 'yarn_resourcemanager_heap_mb': 1024,
                                      'mapreduce_historyserver_heap_mb': 1024, 'spark_history_heap_mb': 1024}
    assert hosts['w1']['heap_mb'] == {'hdfs_datanode_heap_mb': 1024, 'yarn_nodemanager_heap_mb': 1024}
    for name, host in hosts.items():
        for section, values in host['settings'].items():
            assert set(values) == set(host['reasons'][section]), (name, section)
        assert set(host['heap_mb']) == set(host['reasons']['heap_mb'])


def test_a_group_sized_from_its_smallest_member():
    result = sizing.plan([
        _host('m1', MASTER, 64, 16, profile='master'),
        _host('w1', WORKER, 128, 32, 12, profile='worker', from_smallest=True),
        _host('w2', WORKER, 64, 16, 6, profile='worker', from_smallest=True),
    ])
    hosts = result['hosts']
    for name in ('w1', 'w2'):
        assert hosts[name]['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 56320
        assert hosts[name]['resources']['from'] == 'the smallest of worker (2 hosts)'
    assert hosts['m1']['settings']['yarn_site']['yarn.scheduler.maximum-allocation-mb'] == 56320


def test_dependent_values_follow_settings_made_by_hand():
    configured = {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 2048,
                                'yarn.nodemanager.resource.cpu-vcores': 2,
                                'yarn.scheduler.minimum-allocation-mb': 256,
                                'yarn.scheduler.maximum-allocation-mb': 2048}}
    result = sizing.plan([
        _host('m', MASTER, 24, 2, configured=configured),
        _host('w1', WORKER, 24, 2, configured=configured),
        _host('w2', WORKER, 24, 2, configured=configured),
    ])
    assert result['errors'] == []
    m = result['hosts']['m']['settings']
    # 2048 MB in 3 containers of 682 MB; tasks a multiple of the 256 MB minimum allocation.
    assert m['mapred_site']['mapreduce.map.memory.mb'] == 512
    assert m['mapred_site']['yarn.app.mapreduce.am.command-opts'] == '-Xmx409m'
    assert m['mapred_site']['mapreduce.task.io.sort.mb'] == 204
    # 1 usable core, one executor per node in 2048 MB: 1664 MB + 384 MB overhead.
    assert m['spark_defaults'] == {'spark.executor.cores': 1, 'spark.executor.memory': '1664m',
                                   'spark.executor.memoryOverhead': '384m', 'spark.executor.instances': 1}
    # The recommendation stays visible beside the value set by hand.
    assert result['hosts']['w1']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 18432


def test_skipped_settings_are_not_recommended_and_hadoop_defaults_count():
    result = sizing.plan([_host('m', MASTER, 64, 16), _host('w', WORKER, 64, 16, 6)],
                         skip=['yarn.nodemanager.resource.memory-mb', 'hdfs_datanode_heap_mb'])
    w = result['hosts']['w']
    assert 'yarn.nodemanager.resource.memory-mb' not in w['settings']['yarn_site']
    assert 'hdfs_datanode_heap_mb' not in w['heap_mb']
    # Hadoop's 8192 MB NodeManager: the maximum allocation and the containers follow it.
    assert result['hosts']['m']['settings']['yarn_site']['yarn.scheduler.maximum-allocation-mb'] == 8192
    assert w['settings']['mapred_site']['mapreduce.map.memory.mb'] == 2048


def test_a_host_with_sizing_off_keeps_hadoop_defaults_in_effect():
    result = sizing.plan([_host('m', MASTER, 64, 16), _host('w', WORKER, 64, 16, 6, sizing=False)])
    m = result['hosts']['m']['settings']['yarn_site']
    assert m['yarn.scheduler.maximum-allocation-mb'] == 8192
    assert result['hosts']['w']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 56320


def test_small_hosts_fit_their_heaps_beside_the_containers():
    result = sizing.plan([_host('m', MASTER, 4, 2, profile='master'),
                          _host('w1', WORKER, 4, 2, profile='worker'),
                          _host('w2', WORKER, 3, 2, profile='worker')])
    assert result['errors'] == []
    hosts = result['hosts']
    # 4096 MB less 512 MB for the OS: four heaps of 1024 MB cut to 896 MB.
    assert hosts['m']['heap_mb'] == dict.fromkeys(
        ['hdfs_namenode_heap_mb', 'yarn_resourcemanager_heap_mb', 'mapreduce_historyserver_heap_mb',
         'spark_history_heap_mb'], 896)
    # 3 containers of 1024 MB leave 512 MB: both heaps at the 256 MB floor.
    assert hosts['w1']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 3072
    assert hosts['w1']['heap_mb'] == {'hdfs_datanode_heap_mb': 256, 'yarn_nodemanager_heap_mb': 256}
    assert 'cut to fit 4096 MB' in hosts['w1']['reasons']['heap_mb']['hdfs_datanode_heap_mb']
    # 3 GB: 1 GB reserved, 3 containers of 682 MB.
    assert hosts['w2']['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 2046
    assert hosts['m']['settings']['mapred_site']['mapreduce.map.memory.mb'] == 682


def test_settings_that_cannot_work_are_errors_naming_host_and_numbers():
    result = sizing.plan([
        _host('m', MASTER, 16, 4, heaps={'hdfs_namenode_heap_mb': 16000},
              configured={'yarn_site': {'yarn.scheduler.maximum-allocation-mb': 4096},
                          'spark_defaults': {'spark.executor.memory': '4g'},
                          'mapred_site': {'mapreduce.map.memory.mb': 9000}}),
        _host('w', WORKER, 16, 4, configured={'yarn_site': {'yarn.nodemanager.resource.memory-mb': 20000}}),
    ])
    assert result['errors'] == [
        "m: NodeManager memory 0 MB + daemon heaps (hdfs_namenode_heap_mb 16000 MB, yarn_resourcemanager_heap_mb "
        "256 MB, mapreduce_historyserver_heap_mb 256 MB, spark_history_heap_mb 256 MB) = 16768 MB is more "
        "than the host's 16384 MB: lower them or remove them to use the recommendations",
        'm: mapreduce.map.memory.mb is 9000 MB, more than yarn.scheduler.maximum-allocation-mb 4096 MB: YARN '
        'would refuse every such container',
        'm: spark.executor.memory 4096 MB + overhead 409 MB = 4505 MB is more than '
        'yarn.scheduler.maximum-allocation-mb 4096 MB: YARN would refuse every executor',
        'w: yarn.nodemanager.resource.memory-mb is 20000 MB but the host has 16384 MB: lower it or remove it to '
        'use the recommendation',
        'w: NodeManager memory 20000 MB + daemon heaps (hdfs_datanode_heap_mb 256 MB, yarn_nodemanager_heap_mb '
        '256 MB) = 20512 MB is more than the host\'s 16384 MB: lower them or remove them to use the recommendations',
    ]


def test_hosts_without_hardware_facts_are_named():
    result = sizing.plan([_host('m', MASTER, 16, 4), {'name': 'w9', 'services': WORKER}])
    assert result == {'hosts': {}, 'errors': [
        'no memory or vCPU count for w9: gather their hardware facts (the play must reach them) or set '
        'hadoop_sizing_memory_mb and hadoop_sizing_vcpus for them'], 'left_out': []}


@pytest.mark.parametrize('volumes, reserved', [
    ([], 1), ([100 * GB * GB * 1024], 10), ([20 * GB * GB * 1024, 500 * GB * GB * 1024], 2), ([5 * GB * GB * 1024], 1),
])
def test_du_reserved(volumes, reserved):
    assert sizing.du_reserved(volumes) == reserved * GB * GB * 1024


@pytest.mark.parametrize('text, mb', [('512m', 512), ('2g', 2048), ('1024', 1024), ('2GB', 2048), ('1t', 1048576)])
def test_memory_strings(text, mb):
    assert sizing.memory_mb(text) == mb


def test_a_bad_memory_string_is_named():
    with pytest.raises(ValueError, match="'lots' is not an amount of memory"):
        sizing.memory_mb('lots')


def test_a_misspelled_skip_is_named_with_a_suggestion():
    result = sizing.plan([_host('w', WORKER, 64, 16)], skip=['yarn.nodemanager.resource.memory_mb', 'hdfs_datanode_heap_mb',
                                                             'nothing.like.it'])
    assert result == {'hosts': {}, 'errors': [
        "hadoop_sizing_skip: the advisor sets no 'nothing.like.it'",
        "hadoop_sizing_skip: the advisor sets no 'yarn.nodemanager.resource.memory_mb' "
        "(did you mean 'yarn.nodemanager.resource.memory-mb'?)"], 'left_out': []}


def test_every_recommended_setting_can_be_skipped():
    result = sizing.plan([_host('m', MASTER + ['zookeeper', 'journalnode', 'zkfc'], 64, 16), _host('w', WORKER, 64, 16, 6)])
    names = set(name for host in result['hosts'].values() for section, values in host['settings'].items()
                for name in values) | set(name for host in result['hosts'].values() for name in host['heap_mb'])
    assert names == set(sizing.SIZED_SETTINGS)
    skipped = sizing.plan([_host('m', MASTER + ['zookeeper', 'journalnode', 'zkfc'], 64, 16), _host('w', WORKER, 64, 16, 6)],
                          skip=sorted(names))
    assert skipped['errors'] == []
    assert all(not host['settings'] and not host['heap_mb'] for host in skipped['hosts'].values())


@pytest.mark.parametrize('datanodes, handlers', [(1, 10), (2, 14), (3, 28), (4, 28), (5, 42), (8, 42), (9, 55),
                                                 (100, 97), (1000, 139)])
def test_handlers_change_when_the_cluster_doubles(datanodes, handlers):
    records = [_host('m', ['namenode'], 64, 16)] + [_host('w%d' % i, WORKER, 64, 16) for i in range(datanodes)]
    result = sizing.plan(records)
    assert result['hosts']['m']['settings']['hdfs_site']['dfs.namenode.handler.count'] == handlers


# A run limited to some hosts (scale_out.yml, --limit, an AWX slice): the
# hosts outside it are not contacted. Numbers of the heterogeneous cluster
# above: w1 (128 GB, 32 vCPUs, 12 disks) runs a NodeManager of 90112 MB in
# containers of 4096 MB; w2 (64 GB, 16 vCPUs, 6 disks) 56320 MB in 5120 MB.

def _outside(name, services, data_dirs=1, **extra):
    record = {'name': name, 'services': services, 'data_dirs': data_dirs, 'in_run': False}
    record.update(extra)
    return record


def test_a_nodemanager_outside_the_run_counts_through_what_the_resourcemanager_reports():
    limited = sizing.plan([
        _outside('m1', MASTER),
        _outside('w1', WORKER, 12, reported={'memory_mb': 90112, 'vcores': 32}),
        _host('w2', WORKER, 64, 16, 6),
    ])
    assert limited['errors'] == [] and limited['left_out'] == []
    # Only the host of the run gets values.
    assert sorted(limited['hosts']) == ['w2']
    w2 = limited['hosts']['w2']['settings']
    assert w2['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 56320
    # The same cluster-wide values as a run over every host: the tasks fit
    # w1's containers, Spark the smallest NodeManager.
    assert w2['mapred_site']['mapreduce.map.memory.mb'] == 4096
    assert w2['mapred_site']['mapreduce.map.java.opts'] == '-Xmx3276m'
    assert w2['spark_defaults']['spark.executor.memory'] == '17066m'
    assert w2['spark_defaults']['spark.executor.instances'] == 5


def test_hosts_outside_the_run_with_a_declared_or_cached_size_are_sized_without_contact():
    limited = sizing.plan([
        _host('m1', MASTER, 64, 16, in_run=False),
        _host('w1', WORKER, 128, 32, 12, in_run=False),
        _host('w2', WORKER, 64, 16, 6),
    ])
    assert limited['errors'] == [] and limited['left_out'] == []
    assert limited['hosts']['m1']['settings']['yarn_site']['yarn.scheduler.maximum-allocation-mb'] == 90112


def test_a_nodemanager_known_neither_way_is_left_out_and_named():
    limited = sizing.plan([
        _outside('m1', MASTER),
        _outside('w1', WORKER, 12),
        _host('w2', WORKER, 64, 16, 6),
    ])
    assert limited['errors'] == []
    assert limited['left_out'] == ['w1']
    # Counted from w2 alone: its own containers of 5120 MB.
    assert limited['hosts']['w2']['settings']['mapred_site']['mapreduce.map.memory.mb'] == 5120


def test_a_reported_nodemanager_is_sized_from_its_nodemanager_memory():
    # 2046 MB reported (a 3 GB host): three containers of 682 MB, as for the host itself.
    assert sizing.yarn(None, 2, 1, node_memory_mb=2046)['container_mb'] == 682
    assert sizing.yarn(3 * GB, 2, 1)['container_mb'] == 682
    # 1 usable core: one executor per node sharing 2046 MB: 2046 - 384 MB overhead.
    assert sizing.spark(2, None, 2, 3072, node_memory_mb=2046)['executor_memory_mb'] == 1662
    assert sizing.spark(2, 3 * GB, 2, 3072, node_memory_mb=2046)['executor_memory_mb'] == 1662
