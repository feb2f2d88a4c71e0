# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The one place that knows the installed Hadoop/Spark/ZooKeeper layout.

Systemd units (through the filter plugins) and modules (for admin commands)
build their java command lines here, so the official tarball and the
distribution built by tools/build-dist (no bin/ scripts) run the same way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

# Classpath segments per component, in the order Hadoop's own launcher uses.
_HADOOP_COMPONENTS = {
    'common': 'share/hadoop/common',
    'hdfs': 'share/hadoop/hdfs',
    'mapreduce': 'share/hadoop/mapreduce',
    'yarn': 'share/hadoop/yarn',
}
_COMPONENT_ORDER = ('common', 'hdfs', 'mapreduce', 'yarn')

# Java 17 needs these for Hadoop (HADOOP-19310); Kerberos adds the last two.
JAVA17_OPTIONS = (
    '-XX:+IgnoreUnrecognizedVMOptions',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
    '--add-opens=java.base/java.math=ALL-UNNAMED',
    '--add-opens=java.base/java.net=ALL-UNNAMED',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
    '--add-opens=java.base/java.util.zip=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/sun.security.util=ALL-UNNAMED',
    '--add-opens=java.base/sun.security.x509=ALL-UNNAMED',
    '--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
    '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
)

# Main classes of the daemons and admin tools this collection runs.
MAIN_CLASSES = {
    'namenode': 'org.apache.hadoop.hdfs.server.namenode.NameNode',
    'datanode': 'org.apache.hadoop.hdfs.server.datanode.DataNode',
    'journalnode': 'org.apache.hadoop.hdfs.qjournal.server.JournalNode',
    'zkfc': 'org.apache.hadoop.hdfs.tools.DFSZKFailoverController',
    'resourcemanager': 'org.apache.hadoop.yarn.server.resourcemanager.ResourceManager',
    'nodemanager': 'org.apache.hadoop.yarn.server.nodemanager.NodeManager',
    'historyserver': 'org.apache.hadoop.mapreduce.v2.hs.JobHistoryServer',
    'spark_history': 'org.apache.spark.deploy.history.HistoryServer',
    'dfsadmin': 'org.apache.hadoop.hdfs.tools.DFSAdmin',
    'haadmin': 'org.apache.hadoop.hdfs.tools.DFSHAAdmin',
    'getconf': 'org.apache.hadoop.hdfs.tools.GetConf',
    'fsck': 'org.apache.hadoop.hdfs.tools.DFSck',
    'dfs': 'org.apache.hadoop.fs.FsShell',
    'balancer': 'org.apache.hadoop.hdfs.server.balancer.Balancer',
    'rmadmin': 'org.apache.hadoop.yarn.client.cli.RMAdminCLI',
    'zookeeper': 'org.apache.zookeeper.server.quorum.QuorumPeerMain',
}

# YARN daemons also load the timeline service jars, as Hadoop's launcher does.
_YARN_DAEMONS = ('resourcemanager', 'nodemanager')


def hadoop_classpath(hadoop_home, conf_dir, daemon=None, extra=None):
    """Return the classpath entries for a Hadoop daemon or client.

    Entries are wildcards that the JVM expands, so the result does not depend
    on which jars a particular build ships.
    """
    entries = [conf_dir]
    for component in _COMPONENT_ORDER:
        base = os.path.join(hadoop_home, _HADOOP_COMPONENTS[component])
        if component == 'hdfs':
            # The hdfs dir itself holds webapps/ in the official layout.
            entries.append(base)
        entries.append(os.path.join(base, 'lib', '*'))
        entries.append(os.path.join(base, '*'))
    if daemon in _YARN_DAEMONS:
        timeline = os.path.join(hadoop_home, _HADOOP_COMPONENTS['yarn'], 'timelineservice')
        entries.append(os.path.join(timeline, '*'))
        entries.append(os.path.join(timeline, 'lib', '*'))
    entries.extend(extra or [])
    return entries


def spark_classpath(spark_home, spark_conf_dir, hadoop_conf_dir):
    """Classpath of a Spark JVM started without spark-class (history server)."""
    return [spark_conf_dir, os.path.join(spark_home, 'jars', '*'), hadoop_conf_dir]


def zookeeper_classpath(zookeeper_home, conf_dir):
    """Classpath of a ZooKeeper server: its configuration (logback.xml), then lib/."""
    return [conf_dir, os.path.join(zookeeper_home, 'lib', '*')]


# The ZooKeeper server's log file in its log directory (logback.xml's rolling file).
ZOOKEEPER_LOG_FILE = 'zookeeper-server.log'


def zookeeper_properties(log_dir):
    """System properties zkServer.sh sets: where the server logs."""
    return {'zookeeper.log.dir': log_dir, 'zookeeper.log.file': ZOOKEEPER_LOG_FILE}


def java_binary(java_home):
    return os.path.join(java_home, 'bin', 'java')


def java_argv(java_home, classpath, main_class, args=None, jvm_options=None, properties=None):
    """Build a java command line as an argv list (never a shell string).

    properties: dict of -D system properties, emitted sorted so the
    command line (and so the systemd unit) is stable between runs.
    """
    argv = [java_binary(java_home)]
    argv.extend(jvm_options or [])
    argv.extend(JAVA17_OPTIONS)
    for key in sorted(properties or {}):
        argv.append('-D%s=%s' % (key, properties[key]))
    argv.extend(['-cp', ':'.join(classpath), main_class])
    argv.extend(args or [])
    return argv


def hadoop_properties(hadoop_home, log_dir=None, log_file=None, user=None, root_logger='INFO,console'):
    """System properties Hadoop's launcher sets for every daemon and tool.
    root_logger None leaves the root logger to log4j.properties."""
    props = {
        'java.net.preferIPv4Stack': 'true',
        'hadoop.home.dir': hadoop_home,
        'hadoop.policy.file': 'hadoop-policy.xml',
        'hadoop.security.logger': 'INFO,NullAppender',
    }
    # None: log4j.properties decides (daemons); tools print to the console.
    if root_logger:
        props['hadoop.root.logger'] = root_logger
    if log_dir:
        props['hadoop.log.dir'] = log_dir
        props['yarn.log.dir'] = log_dir
    if log_file:
        props['hadoop.log.file'] = log_file
        props['yarn.log.file'] = log_file
    if user:
        props['hadoop.id.str'] = user
    native = os.path.join(hadoop_home, 'lib', 'native')
    props['java.library.path'] = native
    return props


def admin_argv(java_home, hadoop_home, conf_dir, tool, args, jvm_options=None):
    """argv of an admin tool (dfsadmin, rmadmin, ...) or a daemon class action
    such as `namenode -format`."""
    return java_argv(
        java_home,
        hadoop_classpath(hadoop_home, conf_dir),
        MAIN_CLASSES[tool],
        args=args,
        # A short-lived tool: the quick compiler alone and the serial collector
        # start it sooner.
        jvm_options=jvm_options or ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'],
        properties=hadoop_properties(hadoop_home, root_logger='WARN,console'),
    )
