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

import difflib
import math

from ansible_collections.datafleet.hadoop.plugins.module_utils._daemons import DAEMONS, heap_variables

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


def yarn(ram_mb, cores, disks, node_memory_mb=None):
    """YARN and MapReduce container sizing for one NodeManager host. With
    node_memory_mb (a NodeManager memory set by hand, or the one a running
    NodeManager reports), the containers share that instead of the host's
    RAM less its reserve; ram_mb may then be None (a host known only by what
    its NodeManager reports): the NodeManager memory stands in for the RAM
    when choosing the smallest container, a lower bound of it."""
    if ram_mb is None and node_memory_mb is not None:
        ram_mb = int(node_memory_mb)
        reserved = 0
    else:
        reserved = reserved_gb(ram_mb) if ram_mb and ram_mb > 0 else 0
    if ram_mb < 1 or cores < 1:
        raise ValueError('a host needs memory and cores to size: got %s MB, %s cores' % (ram_mb, cores))
    disks = max(int(disks), 1)
    available = max(512, ram_mb - reserved * 1024) if node_memory_mb is None else int(node_memory_mb)
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


def spark(nodes, ram_mb, cores, maximum_allocation_mb, node_memory_mb=None):
    """Executors for a cluster of `nodes` worker hosts of ram_mb and cores:
    1 core and 1 GB kept per node, 5 cores per executor, memory split
    between the node's executors, each executor fitting YARN's maximum
    allocation; one executor's place goes to the application master.
    node_memory_mb (the NodeManager's memory), when given, is what the
    executors share: YARN gives no more."""
    usable_cores = max(cores - 1, 1)
    executor_cores = min(SPARK_EXECUTOR_CORES, usable_cores)
    per_node = max(1, usable_cores // executor_cores)
    if ram_mb is None:
        usable_mb = node_memory_mb
    else:
        usable_mb = ram_mb - 1024 if node_memory_mb is None else min(ram_mb - 1024, node_memory_mb)
    share = usable_mb // per_node
    memory = _executor_memory(min(share, maximum_allocation_mb))
    if memory < 1:
        raise ValueError('a worker with %s MB cannot hold a Spark executor' % (ram_mb or node_memory_mb))
    return {
        'executor_cores': executor_cores,
        'executors_per_node': per_node,
        'executor_memory_mb': memory,
        'executor_overhead_mb': _overhead(memory),
        'executor_instances': max(1, nodes * per_node - 1),
        'capped_by_maximum_allocation': share > maximum_allocation_mb,
    }


# Hadoop's own values, in effect when neither the advisor nor the user sets one.
HADOOP_DEFAULTS = {
    'yarn.nodemanager.resource.memory-mb': 8192,
    'yarn.nodemanager.resource.cpu-vcores': 8,
    'yarn.scheduler.minimum-allocation-mb': 1024,
    'yarn.scheduler.maximum-allocation-mb': 8192,
    'mapreduce.map.memory.mb': 1024,
    'mapreduce.reduce.memory.mb': 1024,
    'yarn.app.mapreduce.am.resource.mb': 1536,
    'spark.executor.memory': '1g',
}
TASK_MEMORY_KEYS = ('mapreduce.map.memory.mb', 'mapreduce.reduce.memory.mb', 'yarn.app.mapreduce.am.resource.mb')
TASK_OPTS_KEYS = ('mapreduce.map.java.opts', 'mapreduce.reduce.java.opts', 'yarn.app.mapreduce.am.command-opts')

# The variable that holds each daemon's heap (the daemon map), and the heap
# it gets when the host has room (Ambari's defaults for the worker and
# service daemons).
HEAP_VARIABLES = heap_variables()
DAEMON_HEAP_MB = 1024
MIN_HEAP_MB = 256
HEAP_STEP_MB = 128

GIB = 1024 ** 3
DU_RESERVED_FRACTION = 0.10
DU_RESERVED_MIN = 1 * GIB
DU_RESERVED_MAX = 10 * GIB


def memory_mb(value):
    """MB in a JVM/Spark memory string ('512m', '2g', '1024' = MB)."""
    text = str(value).strip().lower()
    units = {'k': 1.0 / 1024, 'm': 1, 'g': 1024, 't': 1024 * 1024}
    if text.endswith('b') and text[-2:-1] in units:
        text = text[:-1]
    factor = units.get(text[-1:], None)
    number = text[:-1] if factor else text
    try:
        return int(float(number) * (factor or 1))
    except ValueError:
        raise ValueError('%r is not an amount of memory' % (value,))


def os_share_mb(ram_mb):
    """Memory the operating system keeps beside the daemons: half the
    reserve, at least 512 MB and at most 4 GB."""
    return max(512, min(4096, reserved_gb(ram_mb) * 1024 // 2))


def du_reserved(volume_bytes):
    """Bytes kept free for non-HDFS use on each data volume: 10 % of the
    smallest volume, at least 1 GiB, at most 10 GiB."""
    if not volume_bytes:
        return DU_RESERVED_MIN
    wanted = int(min(volume_bytes) * DU_RESERVED_FRACTION)
    return max(DU_RESERVED_MIN, min(DU_RESERVED_MAX, wanted // (1024 * 1024) * 1024 * 1024))


def max_transfer_threads(data_dirs):
    """Hadoop's 4096 up to 8 data directories, 8192 up to 16, then 16384."""
    if data_dirs <= 8:
        return 4096
    return 8192 if data_dirs <= 16 else 16384


def heaps(ram_mb, node_memory_mb, targets, fixed=None):
    """Fit the recommended heaps (targets: {variable: MB}) beside the heaps
    set by hand (fixed) and the NodeManager's containers: the room is RAM
    less the containers, the OS share and the fixed heaps; when the targets
    add up to more, each is cut in the same ratio (multiples of 128 MB, at
    least 256 MB)."""
    fixed = fixed or {}
    room = ram_mb - (node_memory_mb or 0) - os_share_mb(ram_mb) - sum(fixed.values())
    wanted = sum(targets.values())
    if wanted <= room:
        return dict(targets), False
    ratio = max(room, 0) / float(wanted)
    return dict((name, max(MIN_HEAP_MB, int(mb * ratio) // HEAP_STEP_MB * HEAP_STEP_MB))
                for name, mb in targets.items()), True


# Every setting the advisor may recommend, for checking hadoop_sizing_skip.
SIZED_SETTINGS = (
    'yarn.nodemanager.resource.memory-mb', 'yarn.nodemanager.resource.cpu-vcores',
    'yarn.scheduler.minimum-allocation-mb', 'yarn.scheduler.maximum-allocation-mb',
    'mapreduce.task.io.sort.mb', 'spark.executor.cores', 'spark.executor.memory', 'spark.executor.memoryOverhead',
    'spark.executor.instances', 'dfs.datanode.failed.volumes.tolerated', 'dfs.datanode.du.reserved',
    'dfs.datanode.max.transfer.threads', 'dfs.namenode.handler.count',
) + TASK_MEMORY_KEYS + TASK_OPTS_KEYS + tuple(variable for _service, variable in HEAP_VARIABLES)


def unknown_skips(skip):
    """Messages for names in skip the advisor never sets."""
    problems = []
    for name in skip:
        if name not in SIZED_SETTINGS:
            close = difflib.get_close_matches(name, SIZED_SETTINGS, n=1)
            problems.append('hadoop_sizing_skip: the advisor sets no %r%s' % (
                name, ' (did you mean %r?)' % close[0] if close else ''))
    return problems


def _int(value, name, host):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError('%s: %s=%r is not a whole number' % (host, name, value))


class _Host(object):
    """One host as the plan sees it: resources, services, settings set by
    hand (configured: {file: {key: value}}, heaps: {variable: MB}).

    A host of the run (in_run, the default) is sized and must have its
    memory and vCPUs. A host outside the run is sized when they are known
    without contacting it (declared or cached); otherwise it counts only
    through what the cluster reports of it (reported: the NodeManager's
    memory and vCores from the ResourceManager), or not at all."""

    def __init__(self, record):
        self.name = record['name']
        self.in_run = record.get('in_run', True)
        self.reported = record.get('reported') or None
        self.services = set(record.get('services') or ())
        self.profile = record.get('profile') or ','.join(sorted(self.services))
        self.memory_mb = record.get('memory_mb')
        self.vcpus = record.get('vcpus')
        self.data_dirs = max(int(record.get('data_dirs') or 1), 1)
        self.volumes = [int(v) for v in record.get('volume_bytes') or ()]
        self.apply = record.get('sizing', True)
        self.from_smallest = record.get('from_smallest', False)
        self.configured = record.get('configured') or {}
        self.fixed_heaps = dict((k, _int(v, k, self.name)) for k, v in (record.get('heaps') or {}).items())
        self.settings, self.reasons, self.heap_mb = {}, {}, {}
        self.basis = None
        self.node_memory_mb = self.container_mb = None

    @property
    def sized(self):
        return bool(self.memory_mb and self.vcpus)

    def put(self, section, key, value, reason, skip):
        if key in skip:
            return
        self.settings.setdefault(section, {})[key] = value
        self.reasons.setdefault(section, {})[key] = reason

    def effective(self, section, key):
        """The value in effect: set by hand, else recommended (when the
        advisor applies here), else Hadoop's default."""
        if key in self.configured.get(section, {}):
            return self.configured[section][key]
        if self.apply and key in self.settings.get(section, {}):
            return self.settings[section][key]
        return HADOOP_DEFAULTS.get(key)

    def result(self):
        return {'settings': self.settings, 'reasons': self.reasons, 'heap_mb': self.heap_mb,
                'resources': self.basis}


def _basis(host, members):
    """The resources to size a host from: its own, or the smallest of its
    group's (profile's) when asked."""
    if not host.from_smallest:
        return {'memory_mb': host.memory_mb, 'vcpus': host.vcpus, 'data_dirs': host.data_dirs, 'from': host.name}
    group = [m for m in members if m.profile == host.profile and m.sized]
    return {'memory_mb': min(m.memory_mb for m in group), 'vcpus': min(m.vcpus for m in group),
            'data_dirs': min(m.data_dirs for m in group),
            'from': 'the smallest of %s (%d hosts)' % (host.profile, len(group))}


def plan(records, skip=()):
    """Recommended settings and heaps for every host of a cluster, and the
    settings that cannot work.

    records: one dict per host (name, services, profile, memory_mb, vcpus,
    data_dirs, volume_bytes, sizing, from_smallest, configured, heaps).
    Values that depend on others (container sizes on the NodeManager memory,
    Spark executors on the maximum allocation) are computed from the values
    in effect, so a setting made by hand carries through.
    Records of hosts outside the run (in_run false) may lack memory and
    vCPUs: such a host gets no values of its own and counts in the
    cluster-wide values (the scheduler's limits, task sizes, Spark
    executors) through what its NodeManager reports (reported: {memory_mb,
    vcores}); a NodeManager with neither is left out of them.
    Returns {'hosts': {name: {settings, reasons, heap_mb, resources}} for the
    hosts sized, 'errors': [text], 'left_out': [NodeManagers not counted]}.
    """
    skip = set(skip or ())
    hosts = [_Host(r) for r in records]
    errors = unknown_skips(sorted(skip))
    if errors:
        return {'hosts': {}, 'errors': errors, 'left_out': []}
    unsized = [h.name for h in hosts if h.in_run and not h.sized]
    if unsized:
        return {'hosts': {}, 'errors': [
            'no memory or vCPU count for %s: gather their hardware facts (the play must reach them) or set '
            'hadoop_sizing_memory_mb and hadoop_sizing_vcpus for them' % ', '.join(sorted(unsized))], 'left_out': []}
    for h in hosts:
        if h.sized:
            h.memory_mb, h.vcpus = _int(h.memory_mb, 'memory_mb', h.name), _int(h.vcpus, 'vcpus', h.name)
    sized = [h for h in hosts if h.sized]
    for h in sized:
        h.basis = _basis(h, hosts)

    left_out = _nodemanagers(hosts, skip)
    _cluster_yarn(hosts, skip)
    _hdfs(hosts, skip)
    for h in sized:
        _host_heaps(h, skip)
        errors.extend(_guards(h))
    return {'hosts': dict((h.name, h.result()) for h in sized), 'errors': errors, 'left_out': left_out}


def _nodemanagers(hosts, skip):
    """Each NodeManager's memory and container size; returns the
    NodeManagers that could not be counted."""
    left_out = []
    for h in hosts:
        if 'nodemanager' not in h.services:
            continue
        if not h.sized:
            if h.reported:
                h.node_memory_mb = _int(h.reported['memory_mb'], 'memory_mb', h.name)
                h.node_vcores = _int(h.reported['vcores'], 'vcores', h.name)
                h.container_mb = yarn(None, h.node_vcores, h.data_dirs, node_memory_mb=h.node_memory_mb)['container_mb']
            else:
                left_out.append(h.name)
            continue
        b = h.basis
        y = yarn(b['memory_mb'], b['vcpus'], b['data_dirs'])
        text = '%d MB, %d vCPUs, %d disk(s) (%s): %d MB reserved, %d containers of %d MB' % (
            b['memory_mb'], b['vcpus'], b['data_dirs'], b['from'], y['reserved_mb'], y['containers'],
            y['container_mb'])
        h.put('yarn_site', 'yarn.nodemanager.resource.memory-mb', y['nodemanager_memory_mb'],
              'containers x RAM per container; ' + text, skip)
        h.put('yarn_site', 'yarn.nodemanager.resource.cpu-vcores', b['vcpus'], 'the vCPUs (%s)' % b['from'], skip)
        node_memory = _int(h.effective('yarn_site', 'yarn.nodemanager.resource.memory-mb'),
                           'yarn.nodemanager.resource.memory-mb', h.name)
        h.node_memory_mb = node_memory
        h.node_vcores = _int(h.effective('yarn_site', 'yarn.nodemanager.resource.cpu-vcores'),
                             'yarn.nodemanager.resource.cpu-vcores', h.name)
        h.container_mb = yarn(b['memory_mb'], b['vcpus'], b['data_dirs'], node_memory_mb=node_memory)['container_mb']
    return sorted(left_out)


def _cluster_yarn(hosts, skip):
    """Settings that follow from every NodeManager: the scheduler's limits
    (on the ResourceManagers), task sizes and Spark executors (everywhere)."""
    workers = [h for h in hosts if 'nodemanager' in h.services and h.node_memory_mb is not None]
    if not workers:
        return
    smallest = min(workers, key=lambda w: (w.node_memory_mb, w.name))
    largest = max(w.node_memory_mb for w in workers)
    minimum = min(1024, min(w.container_mb for w in workers))
    for h in hosts:
        if 'resourcemanager' in h.services:
            h.put('yarn_site', 'yarn.scheduler.minimum-allocation-mb', minimum,
                  'min(1024, the smallest RAM per container)', skip)
            h.put('yarn_site', 'yarn.scheduler.maximum-allocation-mb', largest,
                  'the largest NodeManager memory of %d NodeManager(s)' % len(workers), skip)
    managers = [h for h in hosts if 'resourcemanager' in h.services] or [smallest]
    rm = managers[0]
    min_alloc = _int(rm.effective('yarn_site', 'yarn.scheduler.minimum-allocation-mb'),
                     'yarn.scheduler.minimum-allocation-mb', rm.name)
    max_alloc = _int(rm.effective('yarn_site', 'yarn.scheduler.maximum-allocation-mb'),
                     'yarn.scheduler.maximum-allocation-mb', rm.name)
    tight = min(workers, key=lambda w: (w.container_mb, w.name))
    task = max(min_alloc, min(tight.container_mb // min_alloc * min_alloc, max_alloc))
    vcores = smallest.node_vcores
    s = spark(len(workers), smallest.memory_mb if smallest.sized else None, vcores, max_alloc,
              node_memory_mb=smallest.node_memory_mb)
    for h in hosts:
        h.max_allocation_mb = max_alloc
        where = 'the smallest RAM per container (%d MB on %s)' % (tight.container_mb, tight.name)
        for key in TASK_MEMORY_KEYS:
            h.put('mapred_site', key, task, where + ', a multiple of the minimum allocation %d MB' % min_alloc, skip)
        for key, memory in zip(TASK_OPTS_KEYS, TASK_MEMORY_KEYS):
            in_effect = _int(h.effective('mapred_site', memory), memory, h.name)
            h.put('mapred_site', key, '-Xmx%dm' % int(in_effect * 0.8), '0.8 x %s' % memory, skip)
        sort = _int(h.effective('mapred_site', 'mapreduce.map.memory.mb'), 'mapreduce.map.memory.mb', h.name)
        h.put('mapred_site', 'mapreduce.task.io.sort.mb', int(min(0.4 * sort, 1024)),
              'min(0.4 x mapreduce.map.memory.mb, 1024)', skip)
        basis = '%d NodeManager(s), the smallest %s with %d MB and %d vCPUs' % (
            len(workers), smallest.name, smallest.node_memory_mb, vcores)
        h.put('spark_defaults', 'spark.executor.cores', s['executor_cores'],
              '5 cores per executor at most, 1 core kept per node (%s)' % basis, skip)
        h.put('spark_defaults', 'spark.executor.memory', '%dm' % s['executor_memory_mb'],
              'NodeManager memory / %d executor(s) per node / 1.10%s' % (
                  s['executors_per_node'], ', capped by the maximum allocation %d MB' % max_alloc
                  if s['capped_by_maximum_allocation'] else ''), skip)
        executor = memory_mb(h.effective('spark_defaults', 'spark.executor.memory'))
        h.put('spark_defaults', 'spark.executor.memoryOverhead', '%dm' % _overhead(executor),
              'max(384 MB, 10 % of spark.executor.memory)', skip)
        h.put('spark_defaults', 'spark.executor.instances', s['executor_instances'],
              '%d NodeManager(s) x %d executor(s) - 1 for the application master' % (
                  len(workers), s['executors_per_node']), skip)


def _hdfs(hosts, skip):
    datanodes = [h for h in hosts if 'datanode' in h.services]
    dirs = max([d.data_dirs for d in datanodes] or [1])
    for h in hosts:
        if 'datanode' in h.services and h.sized:
            h.put('hdfs_site', 'dfs.datanode.failed.volumes.tolerated', failed_volumes_tolerated(h.data_dirs),
                  '%d data directories: 0 up to 2, 1 up to 4, else 2' % h.data_dirs, skip)
            h.put('hdfs_site', 'dfs.datanode.du.reserved', du_reserved(h.volumes),
                  '10 %% of the smallest data volume (%s), between 1 and 10 GiB' % (
                      '%d GiB' % (min(h.volumes) // GIB) if h.volumes else 'size unknown'), skip)
            h.put('hdfs_site', 'dfs.datanode.max.transfer.threads', max_transfer_threads(h.data_dirs),
                  '%d data directories: 4096 up to 8, 8192 up to 16, else 16384' % h.data_dirs, skip)
        if 'namenode' in h.services and h.sized:
            # The count is rounded up to a power of two: the handlers and the
            # heap, which take a NameNode restart, change when the cluster
            # doubles, not with every worker added.
            planned = 2 ** int(math.ceil(math.log(max(len(datanodes), 1), 2)))
            h.put('hdfs_site', 'dfs.namenode.handler.count', namenode_handlers(planned),
                  '20 x ln(%d: %d DataNodes rounded up to a power of two), between 10 and 200' % (
                      planned, len(datanodes)), skip)
            h.namenode_heap = namenode_heap_mb(planned, dirs, h.basis['memory_mb'])


def _host_heaps(h, skip):
    h.node_memory_mb = h.node_memory_mb or 0
    targets, reasons = {}, {}
    for service, variable in HEAP_VARIABLES:
        if service not in h.services or variable in h.fixed_heaps or variable in skip:
            continue
        if service == 'namenode':
            heap, files_m = h.namenode_heap
            targets[variable] = heap
            reasons[variable] = ('about %.1f M files (100,000 per data directory of the DataNode count rounded up '
                                 'to a power of two)' % files_m)
        else:
            targets[variable] = DAEMON_HEAP_MB
            reasons[variable] = 'the daemon\'s usual heap'
    fitted, cut = heaps(h.basis['memory_mb'], h.node_memory_mb, targets, h.fixed_heaps)
    for variable, heap in fitted.items():
        h.heap_mb[variable] = heap
        h.reasons.setdefault('heap_mb', {})[variable] = reasons[variable] + (
            '; cut to fit %d MB beside %d MB of containers and %d MB for the OS' % (
                h.basis['memory_mb'], h.node_memory_mb, os_share_mb(h.basis['memory_mb'])) if cut else '')


def _guards(h):
    """Settings in effect on h that cannot work, as messages naming the host
    and the numbers."""
    errors = []
    fix = ('lower %s or remove %s to use the recommendation' if h.apply else
           'set %s in the inventory (the advisor is off here: Hadoop\'s defaults apply)')
    node_memory = h.node_memory_mb if 'nodemanager' in h.services else 0
    if node_memory > h.memory_mb:
        errors.append('%s: yarn.nodemanager.resource.memory-mb is %d MB but the host has %d MB: %s' % (
            h.name, node_memory, h.memory_mb, fix.replace('%s', 'it')))
    in_effect = dict(h.heap_mb if h.apply else {})
    in_effect.update(h.fixed_heaps)
    daemons = [(variable, in_effect.get(variable, DAEMON_HEAP_MB))
               for service, variable in HEAP_VARIABLES if service in h.services]
    total = node_memory + sum(mb for dummy, mb in daemons)
    if daemons and total > h.memory_mb:
        errors.append('%s: NodeManager memory %d MB + daemon heaps (%s) = %d MB is more than the host\'s %d MB: %s' % (
            h.name, node_memory, ', '.join('%s %d MB' % d for d in daemons), total, h.memory_mb,
            fix.replace('%s', 'them') + ('s' if h.apply else '')))
    max_alloc = getattr(h, 'max_allocation_mb', None)
    if max_alloc is None:
        return errors
    for key in TASK_MEMORY_KEYS:
        value = _int(h.effective('mapred_site', key), key, h.name)
        if value > max_alloc:
            errors.append('%s: %s is %d MB, more than yarn.scheduler.maximum-allocation-mb %d MB: YARN would '
                          'refuse every such container' % (h.name, key, value, max_alloc))
    if 'spark_client' in h.services:
        executor = memory_mb(h.effective('spark_defaults', 'spark.executor.memory'))
        overhead = h.effective('spark_defaults', 'spark.executor.memoryOverhead')
        overhead = memory_mb(overhead) if overhead is not None else _overhead(executor)
        if executor + overhead > max_alloc:
            errors.append('%s: spark.executor.memory %d MB + overhead %d MB = %d MB is more than '
                          'yarn.scheduler.maximum-allocation-mb %d MB: YARN would refuse every executor' % (
                              h.name, executor, overhead, executor + overhead, max_alloc))
    return errors


# Where each recommended file and heap lives on a host.
FILES = (('hdfs_site', 'hdfs-site.xml'), ('yarn_site', 'yarn-site.xml'), ('mapred_site', 'mapred-site.xml'),
         ('spark_defaults', 'spark-defaults.conf'))
HEAP_UNITS = tuple((variable, DAEMONS[name].unit) for name, variable in HEAP_VARIABLES)


def _text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return '%s' % (value,)


def compare(recommendation, files, heaps_in_effect):
    """Recommended against in effect on one host.

    recommendation: {settings, heap_mb, reasons} (a host of plan());
    files: {section: {key: text}} read from the host, a section missing when
    its file is absent there; heaps_in_effect: {variable: MB} from the
    daemons' units. Returns {settings: [...], heaps: [...], differences:
    [...]}, each entry with the recommended value, the value in effect (None
    when unset) and the reason.
    """
    reasons = recommendation.get('reasons') or {}
    settings, heap_rows = [], []
    for section, file_name in FILES:
        if section not in files:
            continue
        for key, value in sorted((recommendation.get('settings') or {}).get(section, {}).items()):
            current = files[section].get(key)
            settings.append({'file': file_name, 'name': key, 'recommended': _text(value), 'in_effect': current,
                             'differs': current != _text(value), 'reason': reasons.get(section, {}).get(key)})
    for variable, unit in HEAP_UNITS:
        value = (recommendation.get('heap_mb') or {}).get(variable)
        if value is None or variable not in heaps_in_effect:
            continue
        current = heaps_in_effect[variable]
        heap_rows.append({'file': unit, 'name': variable, 'recommended': value, 'in_effect': current,
                          'differs': current != value, 'reason': reasons.get('heap_mb', {}).get(variable)})
    return {'settings': settings, 'heaps': heap_rows,
            'differences': [row for row in settings + heap_rows if row['differs']]}
