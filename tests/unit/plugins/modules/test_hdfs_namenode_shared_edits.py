# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_namenode_shared_edits
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import BEAN, Reply, captured_bytes, version_file

NN_VERSION = 'namenode_VERSION.txt'
CLUSTER_ID = version_file(NN_VERSION)['clusterID']
NAMENODE = 'org.apache.hadoop.hdfs.server.namenode.NameNode'
JN_BEAN = 'Hadoop:service=JournalNode,name=JournalNodeInfo'
JOURNALNODES = ['http://jn%d.example.com:8480' % n for n in (1, 2, 3)]
SELF = 'nn1.example.com:9870'
NEW, FORMATTED = 'jn_jmx_JournalNodeInfo_new.json', 'jn_jmx_JournalNodeInfo_formatted.json'


def write_version(path):
    os.makedirs(os.path.join(path, 'current'))
    with open(os.path.join(path, 'current', 'VERSION'), 'wb') as handle:
        handle.write(captured_bytes(NN_VERSION))


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    dirs = [str(tmp_path / 'nn1')]
    write_version(dirs[0])
    return {'name_dirs': dirs, 'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17', 'nameservice': 'molha', 'journalnode_urls': JOURNALNODES,
            'namenode_url': 'http://' + SELF}


def journals(hadoop, *captures):
    for url, capture in zip(JOURNALNODES, captures):
        replies = capture if isinstance(capture, list) else [capture]
        hadoop.on('GET', '/jmx', *[URLError('[Errno 111] Connection refused') if c is None else Reply.captured(c)
                                   for c in replies], qry=JN_BEAN, netloc=url.split('//')[1])


def stopped(hadoop):
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), qry=BEAN % 'NameNodeStatus', netloc=SELF)


def test_initializes_fresh_journalnodes(args, hadoop, commands, run_module):
    journals(hadoop, *[[NEW, FORMATTED]] * 3)
    stopped(hadoop)
    commands.results.append((0, '', ''))
    result = run_module(hdfs_namenode_shared_edits, args)
    assert result['changed'] is True and result['initialized'] is True and result['cluster_id'] == CLUSTER_ID
    argv, = commands.calls
    assert argv[-3:] == [NAMENODE, '-initializeSharedEdits', '-nonInteractive']
    assert '-force' not in argv


def test_nothing_when_every_journalnode_holds_the_journal(args, hadoop, commands, run_module):
    journals(hadoop, FORMATTED, FORMATTED, FORMATTED)
    stopped(hadoop)
    result = run_module(hdfs_namenode_shared_edits, args)
    assert result['changed'] is False and commands.calls == []


def test_refused_while_the_namenode_runs(args, hadoop, commands, run_module):
    journals(hadoop, NEW, NEW, NEW)
    hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus.json'), qry=BEAN % 'NameNodeStatus', netloc=SELF)
    result = run_module(hdfs_namenode_shared_edits, args)
    assert result['failed'] is True
    assert result['msg'] == ('refusing to initialize the shared edits: the NameNode still runs (active); stop it '
                             'first: its edits must not change while they are copied')
    assert commands.calls == []


def test_refused_when_journals_disagree(args, hadoop, commands, run_module):
    journals(hadoop, FORMATTED, NEW, NEW)
    stopped(hadoop)
    result = run_module(hdfs_namenode_shared_edits, args)
    assert result['failed'] is True
    assert 'only %s hold the nameservice\'s journal' % JOURNALNODES[0] in result['msg']
    assert commands.calls == []


def test_refused_while_a_journalnode_does_not_answer(args, hadoop, commands, run_module):
    journals(hadoop, NEW, None, NEW)
    stopped(hadoop)
    result = run_module(hdfs_namenode_shared_edits, args)
    assert result['failed'] is True
    assert 'JournalNode(s) %s do not answer' % JOURNALNODES[1] in result['msg']


def test_refused_without_a_namespace(args, hadoop, commands, run_module, tmp_path):
    journals(hadoop, NEW, NEW, NEW)
    stopped(hadoop)
    result = run_module(hdfs_namenode_shared_edits, dict(args, name_dirs=[str(tmp_path / 'empty')]))
    assert result['failed'] is True
    assert 'hold no namespace: run this on the NameNode that holds it' in result['msg']
    assert commands.calls == []


def test_check_mode_tells_while_the_namenode_still_runs(args, hadoop, commands, run_module):
    journals(hadoop, NEW, NEW, NEW)
    hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus.json'), qry=BEAN % 'NameNodeStatus', netloc=SELF)
    result = run_module(hdfs_namenode_shared_edits, args, check_mode=True)
    assert result['changed'] is True and result['initialized'] is True
    assert commands.calls == []
