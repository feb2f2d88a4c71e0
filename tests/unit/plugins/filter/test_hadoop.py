# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.datafleet.hadoop.plugins.filter import hadoop as f

DIGEST = 'a' * 64 + 'b' * 64


def test_systemd_exec_quotes_and_escapes():
    line = f.systemd_exec(['/usr/bin/java', '-Dx=a b', '-cp', '/c:/h/*', '100%', '$HOME'])
    assert line == '/usr/bin/java "-Dx=a b" -cp /c:/h/* 100%% "$$HOME"'


@pytest.mark.parametrize('text', [
    '%s  hadoop-3.5.0.tar.gz\n' % DIGEST,
    'SHA512 (hadoop-3.5.0.tar.gz) = %s\n' % DIGEST,
    'hadoop-3.5.0.tar.gz: %s\n' % ' '.join(DIGEST.upper()[i:i + 8] for i in range(0, 128, 8)),
    '%s\n' % DIGEST,
])
def test_checksum_formats(text):
    assert f.checksum_from_file(text, 'hadoop-3.5.0.tar.gz') == DIGEST


def test_checksum_of_another_file_is_refused():
    with pytest.raises(AnsibleFilterError):
        f.checksum_from_file('%s  other.tar.gz\n' % DIGEST, 'hadoop-3.5.0.tar.gz')


def test_unknown_variables_suggest_the_closest_name():
    problems = f.unknown_variables(
        ['hdfs_namenode_heap_mbb', 'hdfs_namenode_heap_mb', 'unrelated_var', 'hadoop_version'],
        ['hdfs_namenode_heap_mb', 'hadoop_version'], ['hdfs_', 'hadoop_'])
    assert problems == ['hdfs_namenode_heap_mbb is not a variable of datafleet.hadoop '
                        '(did you mean hdfs_namenode_heap_mb?)']


def test_daemon_argv_for_the_namenode():
    argv = f.hadoop_daemon_argv('namenode', '/j', '/opt/hadoop/current', '/etc/hadoop/conf', 512,
                                '/var/log/hadoop/hdfs', 'hdfs', ['-XX:+UseG1GC'])
    assert argv[:4] == ['/j/bin/java', '-Xms512m', '-Xmx512m', '-XX:+UseG1GC']
    assert '-Dhadoop.log.file=hdfs-namenode.log' in argv
    assert '-Dhadoop.root.logger=INFO,RFA' in argv
    assert argv[-1] == 'org.apache.hadoop.hdfs.server.namenode.NameNode'


def test_unknown_daemon_is_an_error():
    with pytest.raises(AnsibleFilterError):
        f.hadoop_daemon_argv('namenodes', '/j', '/h', '/c', 1, '/l', 'u')


def test_bad_config_value_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match='dfs.replication'):
        f.to_hadoop_xml({'dfs.replication': [3]}, 'hdfs-site.xml')


def test_sizing_from_facts():
    result = f.sizing({'memtotal_mb': 131072, 'processor_vcpus': 32}, ['nodemanager'], data_dirs=12)
    assert result['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 90112


def test_sizing_without_hardware_facts():
    with pytest.raises(AnsibleFilterError, match="sizing needs the host fact 'memtotal_mb': gather the hardware"):
        f.sizing({'processor_vcpus': 2}, ['nodemanager'])
