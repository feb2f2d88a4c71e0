# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The daemons the collection runs: one entry each, the one answer to
"which unit is it, what does it read, how do we know it is up".

The daemon role (units, pending restarts, readiness), the hadoop and spark
roles (which daemons a changed file restarts), the configuration advisor
(which variable holds which heap) and the daemon_info module all read this
map. A new daemon is one entry here plus the role that installs it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

# Files the daemons read, by the names the roles record when they change.
CORE_SITE = 'core-site.xml'
HDFS_SITE = 'hdfs-site.xml'
YARN_SITE = 'yarn-site.xml'
MAPRED_SITE = 'mapred-site.xml'
CAPACITY_SCHEDULER = 'capacity-scheduler.xml'
LOG4J = 'log4j.properties'
SPARK_DEFAULTS = 'spark-defaults.conf'
SPARK_ENV = 'spark-env.sh'
# Spark's YARN shuffle service jar, loaded by the NodeManager.
SPARK_SHUFFLE_JAR = 'spark-yarn-shuffle'
ZOO_CFG = 'zoo.cfg'
ZOOKEEPER_LOGBACK = 'logback.xml'
# Secure mode's TLS files (the web servers' and clients' settings, the key
# store of the host's certificate), read at start by the Hadoop daemons.
SSL_SERVER = 'ssl-server.xml'
SSL_CLIENT = 'ssl-client.xml'
TLS_KEYSTORE = 'keystore.p12'
_TLS = (SSL_SERVER, SSL_CLIENT, TLS_KEYSTORE)
# A change of hdfs-site.xml in properties the NameNode or the DataNode
# reconfigures at run time only (RECONFIGURABLE): recorded under these names
# instead of HDFS_SITE, so that no daemon restarts for it.
HDFS_SITE_NAMENODE = 'hdfs-site.xml:namenode'
HDFS_SITE_DATANODE = 'hdfs-site.xml:datanode'

FILES = (CORE_SITE, HDFS_SITE, YARN_SITE, MAPRED_SITE, CAPACITY_SCHEDULER, LOG4J, SPARK_DEFAULTS, SPARK_ENV,
         SPARK_SHUFFLE_JAR, ZOO_CFG, ZOOKEEPER_LOGBACK, HDFS_SITE_NAMENODE, HDFS_SITE_DATANODE) + _TLS

# Readiness probes (daemon_info): what "up" means for each kind.
PROBES = {
    'namenode': 'NameNode JMX answers with a HA state (NameNodeStatus)',
    'datanode': 'DataNode JMX answers and a block pool service is connected to a NameNode',
    'resourcemanager': 'the REST API answers /ws/v1/cluster/info with state STARTED',
    'nodemanager': 'the ResourceManager lists the node as RUNNING',
    'historyserver': 'the REST API answers /ws/v1/history/info',
    'spark_history': 'the REST API answers /api/v1/version',
    'zookeeper': 'the server answers srvr in a serving mode: leader, follower (in the quorum) or standalone',
    'journalnode': 'JournalNode JMX answers (JournalNodeInfo)',
    'zkfc': 'the failover controller listens on its RPC port (it opens it after joining the election)',
}

# launcher: how its command line is built (hadoop, spark or zookeeper, in
# _layout); docs: the unit's Documentation=.
Daemon = collections.namedtuple('Daemon', 'unit description service reads heap_variable kill_mode launcher docs')
_HADOOP_DOCS = 'https://hadoop.apache.org/docs/'


DAEMONS = collections.OrderedDict([
    ('namenode', Daemon('hadoop-hdfs-namenode', 'Apache Hadoop HDFS NameNode', 'hdfs',
                        (CORE_SITE, HDFS_SITE, LOG4J) + _TLS, 'hdfs_namenode_heap_mb', 'control-group', 'hadoop', _HADOOP_DOCS)),
    ('datanode', Daemon('hadoop-hdfs-datanode', 'Apache Hadoop HDFS DataNode', 'hdfs',
                        (CORE_SITE, HDFS_SITE, LOG4J) + _TLS, 'hdfs_datanode_heap_mb', 'control-group', 'hadoop', _HADOOP_DOCS)),
    ('journalnode', Daemon('hadoop-hdfs-journalnode', 'Apache Hadoop HDFS JournalNode', 'hdfs',
                           (CORE_SITE, HDFS_SITE, LOG4J) + _TLS, 'hdfs_journalnode_heap_mb', 'control-group', 'hadoop',
                           _HADOOP_DOCS)),
    ('zkfc', Daemon('hadoop-hdfs-zkfc', 'Apache Hadoop HDFS ZooKeeper failover controller', 'hdfs',
                    (CORE_SITE, HDFS_SITE, LOG4J), 'hdfs_namenode_zkfc_heap_mb', 'control-group', 'hadoop', _HADOOP_DOCS)),
    ('resourcemanager', Daemon('hadoop-yarn-resourcemanager', 'Apache Hadoop YARN ResourceManager', 'yarn',
                               (CORE_SITE, HDFS_SITE, YARN_SITE, CAPACITY_SCHEDULER, LOG4J) + _TLS,
                               'yarn_resourcemanager_heap_mb', 'control-group', 'hadoop', _HADOOP_DOCS)),
    # Containers are not children to kill: NodeManager recovery reattaches to
    # them after a restart.
    ('nodemanager', Daemon('hadoop-yarn-nodemanager', 'Apache Hadoop YARN NodeManager', 'yarn',
                           (CORE_SITE, HDFS_SITE, YARN_SITE, LOG4J, SPARK_SHUFFLE_JAR) + _TLS,
                           'yarn_nodemanager_heap_mb', 'process', 'hadoop', _HADOOP_DOCS)),
    ('historyserver', Daemon('hadoop-mapreduce-historyserver', 'Apache Hadoop MapReduce JobHistory server', 'mapred',
                             (CORE_SITE, HDFS_SITE, YARN_SITE, MAPRED_SITE, LOG4J) + _TLS,
                             'mapreduce_historyserver_heap_mb', 'control-group', 'hadoop', _HADOOP_DOCS)),
    # HADOOP_CONF_DIR is on its classpath: it reads core-site.xml and
    # hdfs-site.xml for the event log directory in HDFS.
    ('spark_history', Daemon('spark-history-server', 'Apache Spark history server', 'spark',
                             (SPARK_DEFAULTS, SPARK_ENV, CORE_SITE, HDFS_SITE),
                             'spark_history_heap_mb', 'control-group', 'spark',
                             'https://spark.apache.org/docs/latest/monitoring.html')),
    ('zookeeper', Daemon('zookeeper-server', 'Apache ZooKeeper server', 'zookeeper', (ZOO_CFG, ZOOKEEPER_LOGBACK),
                         'zookeeper_heap_mb', 'control-group', 'zookeeper', 'https://zookeeper.apache.org/doc/')),
])


# Files a daemon takes in without a restart, and how: the ResourceManager
# re-reads capacity-scheduler.xml on rmadmin -refreshQueues, the NameNode and
# the DataNode their reconfigurable properties on dfsadmin -reconfig.
RELOADS = {'resourcemanager': (CAPACITY_SCHEDULER,), 'namenode': (HDFS_SITE_NAMENODE,),
           'datanode': (HDFS_SITE_DATANODE,)}

# The hdfs-site.xml properties a running NameNode or DataNode takes in on
# dfsadmin -reconfig (Hadoop 3.5 lists them: -reconfig <daemon> <address>
# properties) and that no other daemon of the map reads. Left out:
# dfs.heartbeat.interval (the NameNode reconfigures it, the DataNodes read it
# at start only), the core-site.xml settings both list (fs.*, ipc.*,
# hadoop.caller.context.enabled), which every daemon reads, and
# dfs.datanode.data.dir: the reconfiguration runs on every DataNode at once,
# and a volume removed everywhere at once may hold every replica of a block;
# the gated batches of a restart wait for its blocks to be copied again.
RECONFIGURABLE = {
    'namenode': frozenset((
        'dfs.block.invalidate.limit',
        'dfs.block.placement.ec.classname',
        'dfs.block.replicator.classname',
        'dfs.datanode.max.nodes.to.report',
        'dfs.datanode.peer.stats.enabled',
        'dfs.image.parallel.load',
        'dfs.namenode.avoid.read.slow.datanode',
        'dfs.namenode.block-placement-policy.exclude-slow-nodes.enabled',
        'dfs.namenode.block-placement.min-blocks-for.write',
        'dfs.namenode.decommission.backoff.monitor.pending.blocks.per.lock',
        'dfs.namenode.decommission.backoff.monitor.pending.limit',
        'dfs.namenode.fs-limits.max-directory-items',
        'dfs.namenode.heartbeat.recheck-interval',
        'dfs.namenode.lock.detailed-metrics.enabled',
        'dfs.namenode.max.slowpeer.collect.nodes',
        'dfs.namenode.read-lock-reporting-threshold-ms',
        'dfs.namenode.reconstruction.pending.timeout-sec',
        'dfs.namenode.replication.max-streams',
        'dfs.namenode.replication.max-streams-hard-limit',
        'dfs.namenode.replication.work.multiplier.per.iteration',
        'dfs.namenode.slowpeer.collect.interval',
        'dfs.namenode.write-lock-reporting-threshold-ms',
        'dfs.storage.policy.satisfier.mode',
    )),
    'datanode': frozenset((
        'dfs.blockreport.initialDelay',
        'dfs.blockreport.intervalMsec',
        'dfs.blockreport.split.threshold',
        'dfs.cachereport.intervalMsec',
        'dfs.datanode.balance.max.concurrent.moves',
        'dfs.datanode.data.read.bandwidthPerSec',
        'dfs.datanode.data.transfer.bandwidthPerSec',
        'dfs.datanode.data.write.bandwidthPerSec',
        'dfs.datanode.fileio.profiling.sampling.percentage',
        'dfs.datanode.max.slowdisks.to.exclude',
        'dfs.datanode.max.transfer.threads',
        'dfs.datanode.min.outlier.detection.disks',
        'dfs.datanode.min.outlier.detection.nodes',
        'dfs.datanode.outliers.report.interval',
        'dfs.datanode.peer.metrics.min.outlier.detection.samples',
        'dfs.datanode.peer.stats.enabled',
        'dfs.datanode.slow.io.warning.threshold.ms',
        'dfs.datanode.slowdisk.low.threshold.ms',
        'dfs.datanode.slowpeer.low.threshold.ms',
        'dfs.disk.balancer.enabled',
        'dfs.disk.balancer.plan.valid.interval',
    )),
}
_RECONFIGURED_AS = {'namenode': HDFS_SITE_NAMENODE, 'datanode': HDFS_SITE_DATANODE}


def spec(name):
    """The entry of one daemon as a dict; ValueError names the known ones."""
    if name not in DAEMONS:
        raise ValueError('unknown daemon %r; known: %s' % (name, ', '.join(DAEMONS)))
    return dict(DAEMONS[name]._asdict(), name=name)


def _known(files):
    unknown = sorted(set(files) - set(FILES))
    if unknown:
        raise ValueError('unknown file(s) %s; the daemons read: %s' % (', '.join(unknown), ', '.join(FILES)))
    return set(files)


def reading(files, daemons=None):
    """The daemons (of those given, default all) that read any of files and
    must restart for it (not only reload it), in map order."""
    wanted = _known(files)
    return [name for name, daemon in DAEMONS.items()
            if (daemons is None or name in daemons) and wanted & (set(daemon.reads) - set(RELOADS.get(name, ())))]


def reloading(files, daemons=None):
    """The daemons (of those given, default all) that reload one of files
    without a restart (RELOADS), in map order."""
    wanted = _known(files)
    return [name for name in DAEMONS if (daemons is None or name in daemons) and wanted & set(RELOADS.get(name, ()))]


def hdfs_site_changes(properties):
    """What a change of the named hdfs-site.xml properties is recorded as:
    [HDFS_SITE] (every reader restarts) unless each of them is reconfigurable
    (RECONFIGURABLE), then the names of the daemons' reconfigurations that
    take them in, in map order; [] for no property."""
    names = set(properties)
    owners = [name for name in RECONFIGURABLE if names & RECONFIGURABLE[name]]
    if names - set().union(*RECONFIGURABLE.values()):
        return [HDFS_SITE]
    return [_RECONFIGURED_AS[name] for name in DAEMONS if name in owners]


def heap_variables():
    """(daemon, heap variable) of every daemon, in map order."""
    return tuple((name, daemon.heap_variable) for name, daemon in DAEMONS.items())
