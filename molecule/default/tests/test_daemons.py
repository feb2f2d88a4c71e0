# -*- coding: utf-8 -*-
"""Every daemon runs under systemd as its service user, never as root."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import GROUPS

# group -> (systemd unit, service user, main class)
DAEMONS = {
    'namenodes': ('hadoop-hdfs-namenode', 'hdfs', 'org.apache.hadoop.hdfs.server.namenode.NameNode'),
    'datanodes': ('hadoop-hdfs-datanode', 'hdfs', 'org.apache.hadoop.hdfs.server.datanode.DataNode'),
    'resourcemanagers': ('hadoop-yarn-resourcemanager', 'yarn',
                         'org.apache.hadoop.yarn.server.resourcemanager.ResourceManager'),
    'nodemanagers': ('hadoop-yarn-nodemanager', 'yarn', 'org.apache.hadoop.yarn.server.nodemanager.NodeManager'),
    'historyservers': ('hadoop-mapreduce-historyserver', 'mapred', 'org.apache.hadoop.mapreduce.v2.hs.JobHistoryServer'),
    'spark_historyservers': ('spark-history-server', 'spark', 'org.apache.spark.deploy.history.HistoryServer'),
    'zookeepers': ('zookeeper-server', 'zookeeper', 'org.apache.zookeeper.server.quorum.QuorumPeerMain'),
}


def expected_daemons(host):
    name = host.backend.get_hostname()
    return [daemon for group, daemon in sorted(DAEMONS.items()) if name in GROUPS.get(group, [])]


def test_every_daemon_is_active_and_enabled(host):
    daemons = expected_daemons(host)
    assert daemons, 'no daemon expected on %s' % host.backend.get_hostname()
    for unit, _user, _cls in daemons:
        service = host.service(unit)
        assert service.is_running, unit
        assert service.is_enabled, unit


def test_each_daemon_runs_as_its_service_user(host):
    for unit, user, main_class in expected_daemons(host):
        pid = host.check_output('systemctl show -p MainPID --value %s', unit)
        assert pid not in ('', '0'), unit
        owner = host.check_output('ps -o user= -p %s', pid)
        args = host.check_output('ps -o args= -p %s', pid)
        assert owner == user, '%s runs as %s' % (unit, owner)
        assert args.endswith(main_class) or (' %s ' % main_class) in args, args


def test_no_java_process_runs_as_root(host):
    javas = host.process.filter(comm='java')
    assert javas
    assert [p.args for p in javas if p.user == 'root'] == []


def test_configuration_is_managed_and_readable(host):
    for name in ('core-site.xml', 'hdfs-site.xml', 'yarn-site.xml', 'mapred-site.xml'):
        conf = host.file('/etc/hadoop/conf/%s' % name)
        assert conf.exists and conf.mode == 0o644 and conf.user == 'root'
        assert 'Ansible managed' in conf.content_string


def test_hadoop_is_installed_once_per_version_with_a_current_link(host):
    current = host.file('/opt/hadoop/current')
    assert current.is_symlink
    target = current.linked_to
    assert host.file(target).is_directory
    markers = host.check_output('ls -a %s', target).split()
    assert len([m for m in markers if m.startswith('.datafleet-')]) == 1
