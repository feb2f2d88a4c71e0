# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _namenode
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_namenode_format
from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    Reply, at_warn_level, captured_bytes, tool_capture, version_file)

NN_VERSION = 'namenode_VERSION.txt'
CLUSTER_ID = version_file(NN_VERSION)['clusterID']
NAMENODE = 'org.apache.hadoop.hdfs.server.namenode.NameNode'


def write_version(path, content=None):
    os.makedirs(os.path.join(path, 'current'))
    with open(os.path.join(path, 'current', 'VERSION'), 'wb') as handle:
        handle.write(content or captured_bytes(NN_VERSION))


def other_cluster_version():
    # Derived: the captured VERSION of another cluster (clusterID changed).
    return captured_bytes(NN_VERSION).replace(CLUSTER_ID.encode(), b'CID-00000000-1111-2222-3333-444444444444')


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'name_dirs': [str(tmp_path / 'nn1'), str(tmp_path / 'nn2')], 'hadoop_home': str(tmp_path / 'hadoop'),
            'conf_dir': '/etc/hadoop/conf', 'java_home': '/usr/lib/jvm/java-17'}


@pytest.fixture
def formats(commands):
    """The format command as it behaves on a fresh cluster: rc 0, and the
    captured VERSION written in every name directory."""
    def effect(module, argv):
        for path in module.params['name_dirs']:
            write_version(path)
    commands.effect = effect
    commands.results.append((0, '', ''))
    return commands


def test_first_format(args, formats, run_module):
    os.makedirs(os.path.join(args['name_dirs'][0], 'lost+found'))  # a fresh file system; nn2 does not exist
    result = run_module(hdfs_namenode_format, args)
    assert result['changed'] is True
    assert result['formatted'] is True
    assert result['cluster_id'] == CLUSTER_ID
    assert [d['state'] for d in result['directories']] == ['empty', 'empty']
    assert result['diff']['after'] == {'formatted': True, 'cluster_id': CLUSTER_ID}
    argv, = formats.calls
    assert argv[-3:] == [NAMENODE, '-format', '-nonInteractive']
    assert '-force' not in argv


def test_first_format_with_a_cluster_id(args, formats, run_module):
    result = run_module(hdfs_namenode_format, dict(args, cluster_id=CLUSTER_ID))
    assert result['changed'] is True
    assert formats.calls[0][-5:] == [NAMENODE, '-format', '-nonInteractive', '-clusterid', CLUSTER_ID]
    assert '-force' not in formats.calls[0]


def test_check_mode_formats_nothing(args, commands, run_module):
    result = run_module(hdfs_namenode_format, args, check_mode=True)
    assert result['changed'] is True
    assert result['formatted'] is False
    assert result['cluster_id'] is None
    assert commands.calls == []
    assert not any(os.path.exists(p) for p in args['name_dirs'])


@pytest.mark.parametrize('cluster_id', [None, CLUSTER_ID])
def test_already_formatted(args, commands, run_module, cluster_id):
    for path in args['name_dirs']:
        write_version(path)
    result = run_module(hdfs_namenode_format, dict(args, cluster_id=cluster_id))
    assert result['changed'] is False
    assert result['formatted'] is True
    assert result['cluster_id'] == CLUSTER_ID
    namespace_id = version_file(NN_VERSION)['namespaceID']
    assert [(d['state'], d['cluster_id'], d['namespace_id']) for d in result['directories']] == [
        ('formatted', CLUSTER_ID, namespace_id)] * 2
    assert commands.calls == []


def test_some_formatted_some_empty(args, commands, run_module):
    formatted, empty = args['name_dirs']
    write_version(formatted)
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to format: %s are formatted but %s are empty.' % (formatted, empty))
    assert commands.calls == []
    assert not os.path.exists(empty)


def test_different_cluster_ids(args, commands, run_module):
    first, second = args['name_dirs']
    write_version(first)
    write_version(second, other_cluster_version())
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert '%s=%s' % (first, CLUSTER_ID) in result['msg']
    assert '%s=CID-00000000-1111-2222-3333-444444444444' % second in result['msg']
    assert commands.calls == []


@pytest.mark.parametrize('entry', ['current/edits_inprogress_0000000000000000001', 'in_use.lock'])
def test_data_without_version_file(args, commands, run_module, entry):
    first, second = args['name_dirs']
    os.makedirs(os.path.dirname(os.path.join(second, entry)) or second, exist_ok=True)
    open(os.path.join(second, entry), 'w').close()
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to format: %s hold data but no current/VERSION file of a NameNode.'
                                    % second)
    assert [d['state'] for d in result['directories']] == ['empty', 'unknown_data']
    assert commands.calls == []


def test_cluster_id_mismatch(args, commands, run_module):
    for path in args['name_dirs']:
        write_version(path)
    result = run_module(hdfs_namenode_format, dict(args, cluster_id='CID-wanted'))
    assert result['failed'] is True
    assert result['msg'].startswith('the NameNode is already formatted with cluster ID %s, not CID-wanted;'
                                    % CLUSTER_ID)
    assert commands.calls == []


def test_format_refused_by_the_namenode(args, commands, run_module):
    # The NameNode's configuration names a formatted directory that name_dirs
    # does not list: the captured refusal (stderr derived at the WARN level the
    # module runs tools with, see _fakes.at_warn_level).
    rc, out, err = tool_capture('namenode_format_nonInteractive_already_formatted.txt')
    commands.results.append((rc, out, at_warn_level(err)))
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert result['rc'] == 1
    assert result['msg'].startswith('namenode -format -nonInteractive failed with exit code 1: ')
    assert result['msg'].endswith('Not formatting.')


def test_format_that_writes_no_version_file(args, commands, run_module):
    commands.results.append((0, '', ''))
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert result['msg'] == ('the format command succeeded but these directories hold no VERSION file: %s'
                             % ', '.join(args['name_dirs']))


def test_read_version_file_of_the_capture(tmp_path):
    path = str(tmp_path / 'VERSION')
    with open(path, 'wb') as handle:
        handle.write(captured_bytes(NN_VERSION))
    props = _namenode.read_version_file(path)
    assert props == version_file(NN_VERSION)
    assert props['storageType'] == 'NAME_NODE'
    assert props['clusterID'] == CLUSTER_ID


def test_datanode_storage_is_not_namenode_metadata(args, commands, run_module):
    """A name directory holding a DataNode's storage (the captured DataNode
    VERSION, same cluster ID) is refused, not taken as formatted."""
    first, second = args['name_dirs']
    write_version(first)
    write_version(second, captured_bytes('datanode_VERSION.txt'))
    result = run_module(hdfs_namenode_format, args)
    assert result['failed'] is True
    assert second in result['msg'] and 'of a NameNode' in result['msg']
    assert result['directories'][1] == {'path': second, 'state': 'unknown_data', 'storage_type': 'DATA_NODE'}
    assert commands.calls == []


# ---------------------------------------------------------------------------
# An HA nameservice: the JournalNodes tell whether it exists (their
# JournalNodeInfo JMX, captured before and after the first format).
# ---------------------------------------------------------------------------

JN_BEAN = 'Hadoop:service=JournalNode,name=JournalNodeInfo'
JOURNALNODES = ['http://jn%d.example.com:8480' % n for n in (1, 2, 3)]
NAMESERVICE = 'molha'


def journals(hadoop, *captures):
    for url, capture in zip(JOURNALNODES, captures):
        reply = Reply.captured(capture) if isinstance(capture, str) else capture
        hadoop.on('GET', '/jmx', reply, qry=JN_BEAN, netloc=url.split('//')[1])


def test_ha_first_format_when_no_journalnode_holds_the_journal(args, formats, hadoop, run_module):
    journals(hadoop, *['jn_jmx_JournalNodeInfo_new.json'] * 3)
    result = run_module(hdfs_namenode_format, dict(args, nameservice=NAMESERVICE, journalnode_urls=JOURNALNODES))
    assert result['changed'] is True and result['formatted'] is True and result['bootstrap_required'] is False
    assert formats.calls[0][-3:] == [NAMENODE, '-format', '-nonInteractive']


def test_ha_empty_directories_in_an_existing_nameservice_are_not_formatted(args, commands, hadoop, run_module):
    journals(hadoop, *['jn_jmx_JournalNodeInfo_formatted.json'] * 3)
    result = run_module(hdfs_namenode_format, dict(args, nameservice=NAMESERVICE, journalnode_urls=JOURNALNODES))
    assert result['changed'] is False and result['formatted'] is False and result['bootstrap_required'] is True
    assert commands.calls == []


def test_ha_format_refused_while_a_journalnode_does_not_answer(args, commands, hadoop, run_module):
    journals(hadoop, 'jn_jmx_JournalNodeInfo_new.json', 'jn_jmx_JournalNodeInfo_new.json',
             URLError('[Errno 111] Connection refused'))
    result = run_module(hdfs_namenode_format, dict(args, nameservice=NAMESERVICE, journalnode_urls=JOURNALNODES))
    assert result['failed'] is True
    assert result['msg'] == ('cannot tell whether the nameservice exists: JournalNode(s) %s do not answer; start '
                             'them and run again' % JOURNALNODES[2])
    assert commands.calls == []


def test_ha_formatted_directories_need_no_journalnode(args, commands, hadoop, run_module):
    for path in args['name_dirs']:
        write_version(path)
    result = run_module(hdfs_namenode_format, dict(args, nameservice=NAMESERVICE, journalnode_urls=JOURNALNODES))
    assert result['changed'] is False and result['formatted'] is True
    assert hadoop.requests == [] and commands.calls == []
