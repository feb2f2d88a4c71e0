# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The sizing model: YARN, MapReduce, HDFS and Spark settings from a host's
memory, cores and data disks and the cluster's size.

Every function takes plain numbers and returns plain numbers, so the rules
are tested on their own; docs/sizing.md gives the source of each rule and
why it was chosen where sources disagree.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

# Memory kept for the operating system and the daemons, by host RAM (GB):
# (upper bound, reserved GB). Above the last bound: 64 GB.
RESERVED_GB = ((4, 1), (8, 2), (16, 2), (24, 4), (48, 6), (64, 8), (72, 8), (96, 12), (128, 24), (256, 32))
RESERVED_GB_ABOVE = 64

# Smallest container (MB) by host RAM (GB): (upper bound, MB). Above: 2048.
MIN_CONTAINER_MB = ((3, 128), (4, 256), (8, 512), (24, 1024))
MIN_CONTAINER_MB_ABOVE = 2048

# NameNode heap (MB) by expected files in millions: below each threshold,
# the heap of the same position; from the last threshold on, the last heap.
NAMENODE_FILE_THRESHOLDS_M = (1, 5, 10, 20, 30, 40, 50, 70, 100, 125, 150)
NAMENODE_HEAP_MB = (1024, 3072, 5376, 9984, 14848, 19456, 24320, 33536, 47872, 59648, 71424, 94976)
FILES_PER_DATA_DIR = 100000

HADOOP_DEFAULT_HANDLERS = 10
MAX_HANDLERS = 200

SPARK_EXECUTOR_CORES = 5
SPARK_MIN_OVERHEAD_MB = 384
SPARK_OVERHEAD_FRACTION = 0.10


def _band(value, bands, above):
    for bound, result in bands:
        if value <= bound:
            return result
    return above


def reserved_gb(ram_mb):
    """OS and daemon reserve for a host with ram_mb of memory."""
    return _band(ram_mb / 1024.0, RESERVED_GB, RESERVED_GB_ABOVE)


def min_container_mb(ram_mb):
    return _band(ram_mb / 1024.0, MIN_CONTAINER_MB, MIN_CONTAINER_MB_ABOVE)


def yarn(ram_mb, cores, disks):
    """YARN and MapReduce container sizing for one NodeManager host."""
    if ram_mb < 1 or cores < 1:
        raise ValueError('a host needs memory and cores to size: got %s MB, %s cores' % (ram_mb, cores))
    disks = max(int(disks), 1)
    reserved = reserved_gb(ram_mb)
    available = max(512, ram_mb - reserved * 1024)
    minimum = min_container_mb(ram_mb)
    containers = max(3, min(2 * cores, int(math.ceil(1.8 * disks)), available // minimum))
    per_container = available // containers
    step = min(1024, per_container)
    per_container = per_container // step * step
    node_memory = min(containers * per_container, ram_mb)
    return {
        'reserved_mb': reserved * 1024,
        'available_mb': available,
        'min_container_mb': minimum,
        'containers': containers,
        'container_mb': per_container,
        'nodemanager_memory_mb': node_memory,
        'minimum_allocation_mb': min(1024, per_container),
        'maximum_allocation_mb': node_memory,
        'vcores': cores,
        'task_mb': per_container,
        'task_heap_mb': int(per_container * 0.8),
        'sort_mb': int(min(0.4 * per_container, 1024)),
    }


def namenode_heap_mb(datanodes, data_dirs, ram_mb=None):
    """NameNode heap for the files the DataNodes' disks are expected to hold
    (100,000 per data directory), capped by the host's RAM less its reserve."""
    files_m = datanodes * data_dirs * FILES_PER_DATA_DIR / 1000000.0
    index = len(NAMENODE_FILE_THRESHOLDS_M)
    for position, threshold in enumerate(NAMENODE_FILE_THRESHOLDS_M):
        if files_m < threshold:
            index = position
            break
    heap = NAMENODE_HEAP_MB[index]
    if ram_mb is not None:
        heap = max(1024, min(heap, ram_mb - reserved_gb(ram_mb) * 1024))
    return heap, files_m


def namenode_handlers(datanodes):
    """20 x ln(DataNodes), at least Hadoop's default and at most 200."""
    if datanodes <= 1:
        return HADOOP_DEFAULT_HANDLERS
    return max(HADOOP_DEFAULT_HANDLERS, min(MAX_HANDLERS, int(round(20 * math.log(datanodes)))))


def failed_volumes_tolerated(data_dirs):
    if data_dirs <= 2:
        return 0
    return 1 if data_dirs <= 4 else 2


def _executor_memory(total_mb):
    """Executor heap whose heap + overhead (max(384 MB, 10 %)) fits total_mb."""
    if total_mb >= SPARK_MIN_OVERHEAD_MB * (1 + SPARK_OVERHEAD_FRACTION) / SPARK_OVERHEAD_FRACTION:
        return int(total_mb / (1 + SPARK_OVERHEAD_FRACTION))
    return int(total_mb - SPARK_MIN_OVERHEAD_MB)


def _overhead(memory_mb):
    return max(SPARK_MIN_OVERHEAD_MB, int(memory_mb * SPARK_OVERHEAD_FRACTION))


def spark(nodes, ram_mb, cores, maximum_allocation_mb):
    """Executors for a cluster of `nodes` worker hosts of ram_mb and cores:
    1 core and 1 GB kept per node, 5 cores per executor, memory split
    between the node's executors, each executor fitting YARN's maximum
    allocation; one executor's place goes to the application master."""
    usable_cores = max(cores - 1, 1)
    executor_cores = min(SPARK_EXECUTOR_CORES, usable_cores)
    per_node = max(1, usable_cores // executor_cores)
    share = (ram_mb - 1024) // per_node
    memory = _executor_memory(min(share, maximum_allocation_mb))
    if memory < 1:
        raise ValueError('a worker with %s MB cannot hold a Spark executor' % ram_mb)
    return {
        'executor_cores': executor_cores,
        'executors_per_node': per_node,
        'executor_memory_mb': memory,
        'executor_overhead_mb': _overhead(memory),
        'executor_instances': max(1, nodes * per_node - 1),
        'capped_by_maximum_allocation': share > maximum_allocation_mb,
    }


def recommend(memory_mb, vcpus, data_dirs, services, datanodes=1, workers=1, worker_memory_mb=None,
              worker_vcpus=None, worker_data_dirs=None):
    """Recommended settings for one host, by file, each with its reason.

    services: the host's services (namenode, datanode, nodemanager, ...);
    datanodes / workers: how many DataNodes / NodeManagers the cluster has;
    worker_memory_mb / worker_vcpus / worker_data_dirs: the NodeManager
    hosts' size, for the Spark settings on clients (default: this host's).
    Returns {'settings': {file: {key: value}}, 'reasons': {file: {key: text}}}.
    """
    settings, reasons = {}, {}

    def put(section, key, value, reason):
        settings.setdefault(section, {})[key] = value
        reasons.setdefault(section, {})[key] = reason

    if 'nodemanager' in services:
        y = yarn(memory_mb, vcpus, data_dirs)
        basis = '%d MB, %d vCPUs, %d data disk(s): %d MB reserved, %d containers of %d MB' % (
            memory_mb, vcpus, max(data_dirs, 1), y['reserved_mb'], y['containers'], y['container_mb'])
        put('yarn_site', 'yarn.nodemanager.resource.memory-mb', y['nodemanager_memory_mb'],
            'containers x RAM per container (%s)' % basis)
        put('yarn_site', 'yarn.nodemanager.resource.cpu-vcores', vcpus, 'the host\'s vCPUs')
        put('yarn_site', 'yarn.scheduler.minimum-allocation-mb', y['minimum_allocation_mb'],
            'min(1024, RAM per container %d MB)' % y['container_mb'])
        put('yarn_site', 'yarn.scheduler.maximum-allocation-mb', y['maximum_allocation_mb'],
            'the NodeManager memory')
        for key in ('mapreduce.map.memory.mb', 'mapreduce.reduce.memory.mb', 'yarn.app.mapreduce.am.resource.mb'):
            put('mapred_site', key, y['task_mb'], 'RAM per container')
        for key in ('mapreduce.map.java.opts', 'mapreduce.reduce.java.opts', 'yarn.app.mapreduce.am.command-opts'):
            put('mapred_site', key, '-Xmx%dm' % y['task_heap_mb'], '0.8 x RAM per container')
        put('mapred_site', 'mapreduce.task.io.sort.mb', y['sort_mb'], 'min(0.4 x map memory, 1024)')
    if 'datanode' in services:
        put('hdfs_site', 'dfs.datanode.failed.volumes.tolerated', failed_volumes_tolerated(data_dirs),
            '%d data directories: 0 up to 2, 1 up to 4, else 2' % data_dirs)
    if 'namenode' in services:
        handlers = namenode_handlers(datanodes)
        put('hdfs_site', 'dfs.namenode.handler.count', handlers,
            '20 x ln(%d DataNodes), between 10 and 200' % datanodes)
    if 'spark_client' in services and workers:
        node_memory = worker_memory_mb or memory_mb
        node_vcpus = worker_vcpus or vcpus
        y = yarn(node_memory, node_vcpus, worker_data_dirs or data_dirs)
        s = spark(workers, node_memory, node_vcpus, y['maximum_allocation_mb'])
        basis = '%d workers of %d MB and %d vCPUs' % (workers, node_memory, node_vcpus)
        put('spark_defaults', 'spark.executor.cores', s['executor_cores'], '5 cores per executor at most (%s)' % basis)
        put('spark_defaults', 'spark.executor.memory', '%dm' % s['executor_memory_mb'],
            '(RAM - 1 GB) / %d executors per node / 1.10%s' % (
                s['executors_per_node'], ', capped by YARN\'s maximum allocation'
                if s['capped_by_maximum_allocation'] else ''))
        put('spark_defaults', 'spark.executor.memoryOverhead', '%dm' % s['executor_overhead_mb'],
            'max(384 MB, 10 % of the executor memory)')
        put('spark_defaults', 'spark.executor.instances', s['executor_instances'],
            '%d workers x %d executors - 1 for the application master' % (workers, s['executors_per_node']))
    return {'settings': settings, 'reasons': reasons}
