# -*- coding: utf-8 -*-
"""hdfs_ha_failover on the states captured from an HA pair (nn1 active, nn2
standby and caught up); a lagging standby is derived from that capture."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_ha_failover
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import BEAN, Reply, bean

NN1, NN2 = 'nn1.example.com:9870', 'nn2.example.com:9870'
HAADMIN = 'org.apache.hadoop.hdfs.tools.DFSHAAdmin'
STATUS = {'active': 'nn_jmx_NameNodeStatus_ha_1.json', 'standby': 'nn_jmx_NameNodeStatus_ha_2.json'}
INFO = {'active': 'nn_jmx_NameNodeInfo_ha_1.json', 'standby': 'nn_jmx_NameNodeInfo_ha_2.json'}


def shifted_info(state, by):
    """Derived: a NameNode's captured NameNodeInfo, its last transaction `by` later (negative: earlier)."""
    info = bean(INFO[state])
    journal = json.loads(info['JournalTransactionInfo'])
    journal['LastAppliedOrWrittenTxId'] = str(int(journal['LastAppliedOrWrittenTxId']) + by)
    return Reply.json({'beans': [dict(info, JournalTransactionInfo=json.dumps(journal))]})


def lagging_info(behind):
    """Derived: the standby's captured NameNodeInfo, `behind` transactions back."""
    return shifted_info('standby', -behind)


def test_the_captures_are_caught_up():
    txids = [json.loads(bean(INFO[s])['JournalTransactionInfo'])['LastAppliedOrWrittenTxId'] for s in INFO]
    assert txids[0] == txids[1]


def serve(hadoop, netloc, *states, **info):
    """Each read of the NameNode answers the next of states (the last repeats)."""
    hadoop.on('GET', '/jmx', *[URLError('[Errno 111] Connection refused') if s is None else Reply.captured(STATUS[s])
                               for s in states], qry=BEAN % 'NameNodeStatus', netloc=netloc)
    replies = info.get('info') or [Reply.captured(INFO[s or 'standby']) for s in states]
    hadoop.on('GET', '/jmx', *replies, qry=BEAN % 'NameNodeInfo', netloc=netloc)


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'namenodes': {'nn1': 'http://' + NN1, 'nn2': 'http://' + NN2}, 'active': 'nn2',
            'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17', 'catch_up_timeout': 0, 'failover_timeout': 5}


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(hdfs_ha_failover.time, 'sleep', lambda seconds: None)


def test_fails_over_to_a_caught_up_standby(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active', 'standby')
    serve(hadoop, NN2, 'standby', 'active')
    commands.results.append((0, '', ''))
    result = run_module(hdfs_ha_failover, args)
    assert result['changed'] is True
    assert result['before'] == {'nn1': 'active', 'nn2': 'standby'}
    assert result['after'] == {'nn1': 'standby', 'nn2': 'active'}
    assert result['lag'] == 0
    argv, = commands.calls
    assert argv[-4:] == [HAADMIN, '-failover', 'nn1', 'nn2']


def test_nothing_to_do_when_the_target_is_active(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'standby')
    serve(hadoop, NN2, 'active')
    result = run_module(hdfs_ha_failover, args)
    assert result['changed'] is False and commands.calls == []


def test_check_mode_runs_nothing(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active')
    serve(hadoop, NN2, 'standby')
    result = run_module(hdfs_ha_failover, args, check_mode=True)
    assert result['changed'] is True and result['diff']['after'] == {'active': 'nn2'}
    assert commands.calls == []


def test_refused_when_the_target_is_down(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active')
    serve(hadoop, NN2, None)
    result = run_module(hdfs_ha_failover, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to fail over: nn2 does not answer (cannot reach GET http://%s/jmx' % NN2)
    assert result['msg'].endswith('start it and wait until it runs as standby')
    assert commands.calls == []


def test_refused_when_the_target_is_behind(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active')
    serve(hadoop, NN2, 'standby', info=[lagging_info(12)])
    result = run_module(hdfs_ha_failover, args)
    assert result['failed'] is True
    mark = json.loads(bean(INFO['active'])['JournalTransactionInfo'])['LastAppliedOrWrittenTxId']
    assert result['msg'] == ('refusing to fail over: nn2 is still 12 transactions short of transaction %s, the last '
                             'nn1 had written when asked 0 s ago (at most 0 allowed); it is not catching up: check '
                             'its log and the JournalNodes' % mark)
    assert result['lag'] == 12
    assert commands.calls == []


def test_waits_for_the_target_to_catch_up(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active', 'active', 'standby')
    serve(hadoop, NN2, 'standby', 'standby', 'active', info=[lagging_info(3), Reply.captured(INFO['standby'])])
    commands.results.append((0, '', ''))
    result = run_module(hdfs_ha_failover, dict(args, catch_up_timeout=30))
    assert result['changed'] is True and result['lag'] == 3


def test_a_standby_reaching_the_mark_fails_over_while_clients_write(args, hadoop, commands, run_module):
    # The active writes 5 transactions between reads; the standby, tailing, stays 2 behind it each time.
    serve(hadoop, NN1, 'active', 'active', 'active', 'standby',
          info=[shifted_info('active', 5 * i) for i in range(3)] + [Reply.captured(INFO['standby'])])
    serve(hadoop, NN2, 'standby', 'standby', 'standby', 'active',
          info=[shifted_info('standby', 5 * i - 2) for i in range(3)] + [Reply.captured(INFO['active'])])
    commands.results.append((0, '', ''))
    result = run_module(hdfs_ha_failover, dict(args, catch_up_timeout=30))
    assert result['changed'] is True and result['lag'] == 2
    argv, = commands.calls
    assert argv[-3:] == ['-failover', 'nn1', 'nn2']


def test_refused_without_one_active_namenode(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'standby')
    serve(hadoop, NN2, 'standby')
    result = run_module(hdfs_ha_failover, args)
    assert result['failed'] is True
    assert 'the nameservice has 0 active NameNode(s) (nn1: standby, nn2: standby)' in result['msg']


def test_refused_for_an_unknown_id(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active')
    serve(hadoop, NN2, 'standby')
    result = run_module(hdfs_ha_failover, dict(args, active='nn3'))
    assert result['failed'] is True
    assert result['msg'] == 'refusing to fail over: nn3 is not a NameNode of the nameservice (nn1, nn2)'


def in_safemode_info():
    """Derived: the standby's captured NameNodeInfo with the Safemode message captured from a NameNode starting."""
    info = bean(INFO['standby'])
    return Reply.json({'beans': [dict(info, Safemode=bean('nn_jmx_NameNodeInfo_safemode_startup.json')['Safemode'])]})


def test_refused_when_the_target_stays_in_safe_mode(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active')
    serve(hadoop, NN2, 'standby', info=[in_safemode_info()])
    result = run_module(hdfs_ha_failover, args)
    assert result['failed'] is True
    assert result['msg'].startswith('refusing to fail over: nn2 is in safe mode after 0 s (Safe mode is ON. The '
                                    'reported blocks 0 needs additional 1 blocks')
    assert 'made active it would leave HDFS read-only' in result['msg'] and 'http://%s' % NN2 in result['msg']
    assert commands.calls == []


def test_waits_for_the_target_to_leave_safe_mode(args, hadoop, commands, run_module):
    serve(hadoop, NN1, 'active', 'active', 'standby')
    serve(hadoop, NN2, 'standby', 'standby', 'active', info=[in_safemode_info(), Reply.captured(INFO['standby'])])
    commands.results.append((0, '', ''))
    result = run_module(hdfs_ha_failover, dict(args, catch_up_timeout=30))
    assert result['changed'] is True
    argv, = commands.calls
    assert argv[-3:] == ['-failover', 'nn1', 'nn2']
