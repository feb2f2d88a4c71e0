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


def test_recommend_for_a_worker_gives_values_and_reasons():
    result = sizing.recommend(128 * GB, 32, 12, ['datanode', 'nodemanager'], datanodes=40, workers=40)
    yarn_site = result['settings']['yarn_site']
    assert yarn_site['yarn.nodemanager.resource.memory-mb'] == 90112
    assert yarn_site['yarn.scheduler.maximum-allocation-mb'] == 90112
    assert result['settings']['mapred_site']['mapreduce.map.java.opts'] == '-Xmx3276m'
    assert result['settings']['hdfs_site'] == {'dfs.datanode.failed.volumes.tolerated': 2}
    assert '22 containers of 4096 MB' in result['reasons']['yarn_site']['yarn.nodemanager.resource.memory-mb']
    assert set(result['settings']) == set(result['reasons'])
    for section, values in result['settings'].items():
        assert set(values) == set(result['reasons'][section])


def test_recommend_for_masters_and_clients():
    master = sizing.recommend(64 * GB, 16, 2, ['namenode', 'resourcemanager'], datanodes=100)
    assert master['settings'] == {'hdfs_site': {'dfs.namenode.handler.count': 92}}
    client = sizing.recommend(8 * GB, 4, 1, ['spark_client'], workers=10, worker_memory_mb=64 * GB,
                              worker_vcpus=16, worker_data_dirs=8)
    assert client['settings']['spark_defaults']['spark.executor.instances'] == 29
    assert client['settings']['spark_defaults']['spark.executor.memory'] == '19549m'
