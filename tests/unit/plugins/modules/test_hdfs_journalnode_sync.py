# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_journalnode_sync
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    FakeClock, Reply, captured_json, tool_capture)

JOURNALNODE = 'http://jn3.example.com:8480'
QUERY = 'Hadoop:service=JournalNode,name=Journal-sandboxha'
DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'
# A JournalNode of the HA sandbox (nameservice sandboxha) just after its
# restart: first no journal bean, then the bean with LastWrittenTxId 0; then
# -rollEdits (new segment at 116) and the bean with LastWrittenTxId 116.
NO_BEAN = 'jn_jmx_Journal_restarted_no_bean.json'
RESTARTED = 'jn_jmx_Journal_restarted.json'
WRITTEN = 'jn_jmx_Journal_written.json'
ROLLED = 'dfsadmin_rollEdits.txt'


def serve(hadoop, *names):
    hadoop.on('GET', '/jmx', *[Reply.captured(n) if isinstance(n, str) else n for n in names], qry=QUERY)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(hdfs_journalnode_sync, 'clock', fake.time)
    monkeypatch.setattr(hdfs_journalnode_sync, 'sleep', fake.sleep)
    return fake


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'journalnode_url': JOURNALNODE, 'nameservice': 'sandboxha', 'hadoop_home': str(tmp_path / 'hadoop'),
            'conf_dir': '/etc/hadoop/conf', 'java_home': '/usr/lib/jvm/java-17', 'timeout': 30}


def last_written(name):
    beans = captured_json(name)['beans']
    return beans[0]['LastWrittenTxId'] if beans else None


def test_the_captures_are_of_one_journalnode_before_and_after_the_roll():
    assert last_written(NO_BEAN) is None and last_written(RESTARTED) == 0
    rc, out, dummy = tool_capture(ROLLED)
    assert rc == 0 and 'New segment starts at txid %d' % last_written(WRITTEN) in out


def test_waits_until_the_journalnode_wrote_the_new_segment(hadoop, commands, run_module, args, clock):
    commands.results.append(tool_capture(ROLLED))
    serve(hadoop, NO_BEAN, RESTARTED, URLError('refused'), WRITTEN)
    result = run_module(hdfs_journalnode_sync, args)
    assert result['changed'] and not result.get('failed')
    assert result['segment_txid'] == 116 and result['last_written_txid'] == 116
    assert commands.calls[0][-3:] == ['-fs', 'hdfs://sandboxha', '-rollEdits']
    assert DFSADMIN in commands.calls[0]
    assert len(hadoop.calls('GET')) == 4 and result['waited'] == 3.0


def test_a_journalnode_that_is_not_written_to_fails_after_the_timeout(hadoop, commands, run_module, args, clock):
    commands.results.append(tool_capture(ROLLED))
    serve(hadoop, RESTARTED)
    result = run_module(hdfs_journalnode_sync, args)
    assert result['failed'] and result['segment_txid'] == 116 and result['last_written_txid'] == 0
    assert ('The JournalNode %s has not written the new segment (transaction 116) after 30s: its last written '
            'transaction is 0' % JOURNALNODE) in result['msg']
    assert 'the next JournalNode is not restarted' in result['msg']


def test_a_journalnode_that_does_not_answer_is_named_with_the_error(hadoop, commands, run_module, args, clock):
    commands.results.append(tool_capture(ROLLED))
    serve(hadoop, URLError('Connection refused'))
    result = run_module(hdfs_journalnode_sync, args)
    assert result['failed'] and 'Connection refused' in result['msg'] and result['last_written_txid'] is None


def test_a_failed_roll_fails_with_the_tool_s_message(hadoop, commands, run_module, args, clock):
    commands.results.append((255, '', 'rollEdits: Operation category JOURNAL is not supported in state standby\n'))
    result = run_module(hdfs_journalnode_sync, args)
    assert result['failed'] and '-rollEdits failed with exit code 255' in result['msg']
    assert 'state standby' in result['msg'] and hadoop.calls() == []


def test_a_roll_that_names_no_segment_fails(hadoop, commands, run_module, args, clock):
    rc, out, err = tool_capture(ROLLED)
    commands.results.append((rc, out.split('New segment')[0], err))
    result = run_module(hdfs_journalnode_sync, args)
    assert result['failed'] and 'did not name the new segment: Successfully rolled edit logs.' in result['msg']
    assert hadoop.calls() == []


def test_check_mode_rolls_nothing(hadoop, commands, run_module, args, clock):
    result = run_module(hdfs_journalnode_sync, args, check_mode=True)
    assert result['changed'] and commands.calls == [] and hadoop.calls() == []
