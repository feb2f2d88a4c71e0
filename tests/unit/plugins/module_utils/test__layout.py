# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.datafleet.hadoop.plugins.module_utils import _layout


def test_classpath_follows_hadoops_launcher_order():
    cp = _layout.hadoop_classpath('/opt/hadoop/current', '/etc/hadoop/conf')
    assert cp == [
        '/etc/hadoop/conf',
        '/opt/hadoop/current/share/hadoop/common/lib/*',
        '/opt/hadoop/current/share/hadoop/common/*',
        '/opt/hadoop/current/share/hadoop/hdfs',
        '/opt/hadoop/current/share/hadoop/hdfs/lib/*',
        '/opt/hadoop/current/share/hadoop/hdfs/*',
        '/opt/hadoop/current/share/hadoop/mapreduce/lib/*',
        '/opt/hadoop/current/share/hadoop/mapreduce/*',
        '/opt/hadoop/current/share/hadoop/yarn/lib/*',
        '/opt/hadoop/current/share/hadoop/yarn/*',
    ]


def test_yarn_daemons_get_the_timeline_service_jars():
    rm = _layout.hadoop_classpath('/h', '/c', 'resourcemanager')
    nn = _layout.hadoop_classpath('/h', '/c', 'namenode')
    assert '/h/share/hadoop/yarn/timelineservice/*' in rm
    assert not [e for e in nn if 'timelineservice' in e]


def test_admin_argv_is_a_list_with_java17_options_and_main_class():
    argv = _layout.admin_argv('/usr/lib/jvm/java-17', '/h', '/c', 'dfsadmin', ['-safemode', 'get'])
    assert argv[0] == '/usr/lib/jvm/java-17/bin/java'
    assert '--add-opens=java.base/java.lang=ALL-UNNAMED' in argv
    assert argv[-3:] == ['org.apache.hadoop.hdfs.tools.DFSAdmin', '-safemode', 'get']
    cp = argv[argv.index('-cp') + 1]
    assert cp.split(':')[0] == '/c'
    assert '-Dhadoop.home.dir=/h' in argv


def test_properties_are_sorted_for_a_stable_unit():
    a = _layout.java_argv('/j', ['/c'], 'Main', properties={'b': '1', 'a': '2'})
    assert a.index('-Da=2') < a.index('-Db=1')
