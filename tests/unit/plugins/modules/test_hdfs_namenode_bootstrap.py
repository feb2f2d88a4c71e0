# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_namenode_bootstrap
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import BEAN, Reply, captured_bytes, version_file

NN_VERSION = 'namenode_VERSION.txt'
CLUSTER_ID = version_file(NN_VERSION)['clusterID']
NAMENODE = 'org.apache.hadoop.hdfs.server.namenode.NameNode'
JN_BEAN = 'Hadoop:service=JournalNode,name=JournalNodeInfo'
JOURNALNODES = ['http://jn%d.example.com:8480' % n for n in (1, 2, 3)]
SOURCES = ['http://nn1.example.com:9870', 'http://nn3.example.com:9870']


def write_version(path):
    os.makedirs(os.path.join(path, 'current'))
    with open(os.path.join(path, 'current', 'VERSION'), 'wb') as handle:
        handle.write(captured_bytes(NN_VERSION))


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'name_dirs': [str(tmp_path / 'nn1'), str(tmp_path / 'nn2')], 'hadoop_home': str(tmp_path / 'hadoop'),
            'conf_dir': '/etc/hadoop/conf', 'java_home': '/usr/lib/jvm/java-17', 'nameservice': 'molha',
            'journalnode_urls': JOURNALNODES, 'namenode_url': ','.join(SOURCES)}


def journals(hadoop, capture='jn_jmx_JournalNodeInfo_formatted.json', silent=()):
    for url in JOURNALNODES:
        reply = URLError('[Errno 111] Connection refused') if url in silent else Reply.captured(capture)
        hadoop.on('GET', '/jmx', reply, qry=JN_BEAN, netloc=url.split('//')[1])


def namenodes(hadoop, *captures):
    """NameNodeStatus of each source: a capture of an HA NameNode, or None (down)."""
    for url, capture in zip(SOURCES, captures):
        reply = URLError('[Errno 111] Connection refused') if capture is None else Reply.captured(capture)
        hadoop.on('GET', '/jmx', reply, qry=BEAN % 'NameNodeStatus', netloc=url.split('//')[1])


ACTIVE, STANDBY = 'nn_jmx_NameNodeStatus_ha_1.json', 'nn_jmx_NameNodeStatus_ha_2.json'


@pytest.fixture
def bootstraps(commands):
    """-bootstrapStandby as it behaves: rc 0, the namespace's VERSION in every directory."""
    def effect(module, argv):
        for path in module.params['name_dirs']:
            write_version(path)
    commands.effect = effect
    commands.results.append((0, '', ''))
    return commands


def test_copies_from_the_active_namenode(args, bootstraps, hadoop, run_module):
    journals(hadoop)
    namenodes(hadoop, STANDBY, ACTIVE)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['changed'] is True and result['bootstrapped'] is True
    assert result['source'] == {'url': SOURCES[1], 'state': 'active'}
    assert result['cluster_id'] == CLUSTER_ID
    argv, = bootstraps.calls
    assert argv[-3:] == [NAMENODE, '-bootstrapStandby', '-nonInteractive']
    assert '-force' not in argv


def test_copies_from_a_standby_only_when_none_is_active(args, bootstraps, hadoop, run_module):
    # The formatted first NameNode of a new nameservice, before the failover controllers run.
    journals(hadoop)
    namenodes(hadoop, None, STANDBY)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['source'] == {'url': SOURCES[1], 'state': 'standby'}


def test_formatted_directories_are_left_alone(args, commands, hadoop, run_module):
    for path in args['name_dirs']:
        write_version(path)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['changed'] is False and result['bootstrapped'] is False and result['cluster_id'] == CLUSTER_ID
    assert hadoop.requests == [] and commands.calls == []


def test_check_mode_copies_nothing(args, commands, hadoop, run_module):
    journals(hadoop)
    namenodes(hadoop, ACTIVE, STANDBY)
    result = run_module(hdfs_namenode_bootstrap, args, check_mode=True)
    assert result['changed'] is True and result['source'] == {'url': SOURCES[0], 'state': 'active'}
    assert commands.calls == [] and not any(os.path.exists(p) for p in args['name_dirs'])


def test_refused_when_no_other_namenode_runs(args, commands, hadoop, run_module):
    journals(hadoop)
    namenodes(hadoop, None, None)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to bootstrap: no other NameNode of the nameservice runs (%s: no answer, '
                                    '%s: no answer)' % tuple(SOURCES))
    assert commands.calls == []


def test_refused_for_a_new_nameservice(args, commands, hadoop, run_module):
    journals(hadoop, 'jn_jmx_JournalNodeInfo_new.json')
    namenodes(hadoop, ACTIVE, STANDBY)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['failed'] is True
    assert 'the JournalNodes hold no journal of the nameservice: it is new' in result['msg']
    assert commands.calls == []


def test_refused_while_a_journalnode_does_not_answer(args, commands, hadoop, run_module):
    journals(hadoop, silent=JOURNALNODES[1:2])
    namenodes(hadoop, ACTIVE, STANDBY)
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to bootstrap: JournalNode(s) %s do not answer' % JOURNALNODES[1])
    assert commands.calls == []


def test_refused_when_some_directories_hold_the_namespace(args, commands, hadoop, run_module):
    write_version(args['name_dirs'][0])
    result = run_module(hdfs_namenode_bootstrap, args)
    assert result['failed'] is True
    assert 'are formatted but %s are empty' % args['name_dirs'][1] in result['msg']
    assert hadoop.requests == [] and commands.calls == []
