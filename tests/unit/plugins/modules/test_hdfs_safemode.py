# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import NameNodeJmx
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_safemode
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeClock, FakeHadoop, Reply, bean, tool_capture)

INFO = {
    'off': 'nn_jmx_NameNodeInfo.json',
    'startup': 'nn_jmx_NameNodeInfo_safemode_startup.json',
    'extension': 'nn_jmx_NameNodeInfo_safemode_extension.json',
    'manual': 'nn_jmx_NameNodeInfo_safemode_manual.json',
}
DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'


def message(state):
    return bean(INFO[state])['Safemode'].strip()


def answers(hadoop, *states):
    """NameNodeInfo answers in this order (the last one repeats)."""
    hadoop.on_beans(NameNodeInfo=[INFO[s] for s in states])


@pytest.fixture
def clock(monkeypatch):
    # wait_until_off binds time.time/time.sleep as default arguments when the
    # module is imported, so patching time.sleep would not reach it: replace
    # the defaults instead.
    fake = FakeClock()
    monkeypatch.setattr(hdfs_safemode.wait_until_off, '__defaults__', (fake.time, fake.sleep))
    return fake


@pytest.fixture
def cli_args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'namenode_url': NAMENODE_URL, 'hadoop_home': str(tmp_path / 'hadoop'),
            'conf_dir': '/etc/hadoop/conf', 'java_home': '/usr/lib/jvm/java-17'}


@pytest.mark.parametrize('state', sorted(INFO))
def test_get_only_reads(hadoop, commands, run_module, state):
    answers(hadoop, state)
    result = run_module(hdfs_safemode, {'namenode_url': NAMENODE_URL})
    assert result['changed'] is False
    assert result['safemode'] == {'on': state != 'off', 'message': message(state)}
    assert commands.calls == []


def test_wait_until_the_namenode_leaves_by_itself(hadoop, commands, run_module, clock):
    answers(hadoop, 'startup', 'extension', 'off')
    result = run_module(hdfs_safemode, {'namenode_url': NAMENODE_URL, 'state': 'left', 'wait': True,
                                        'poll_interval': 5})
    assert result['changed'] is False
    assert result['safemode'] == {'on': False, 'message': ''}
    assert clock.sleeps == [5, 5]
    assert result['waited'] == 10.0
    assert len(hadoop.requests) == 3
    assert commands.calls == []


def test_wait_survives_a_namenode_that_is_not_up_yet(hadoop, run_module, clock):
    hadoop.on_beans(NameNodeInfo=[URLError(ConnectionRefusedError(111, 'Connection refused')),
                                  Reply.captured(INFO['startup']), Reply.captured(INFO['off'])])
    result = run_module(hdfs_safemode, {'namenode_url': NAMENODE_URL, 'state': 'left', 'wait': True})
    assert result['safemode']['on'] is False
    assert clock.sleeps == [2, 2]


@pytest.mark.parametrize('state', ['startup', 'manual'])
def test_wait_times_out_with_the_namenodes_explanation(hadoop, run_module, clock, state):
    answers(hadoop, state)
    result = run_module(hdfs_safemode, {'namenode_url': NAMENODE_URL, 'state': 'left', 'wait': True,
                                        'wait_timeout': 60, 'poll_interval': 10})
    assert result['failed'] is True
    assert result['msg'] == 'HDFS is still in safe mode after 60s: %s' % message(state)
    assert sum(clock.sleeps) == 60


def test_wait_until_off_timeout_with_a_fake_clock():
    fake = FakeHadoop().on_beans(NameNodeInfo=INFO['startup'])
    clock = FakeClock()
    with pytest.raises(HadoopHttpError) as e:
        hdfs_safemode.wait_until_off(NameNodeJmx(HttpClient(NAMENODE_URL, opener=fake)), 7, 3,
                                     clock=clock.time, sleep=clock.sleep)
    assert str(e.value) == 'HDFS is still in safe mode after 7s: %s' % message('startup')
    assert 'needs additional 1 blocks' in str(e.value)
    assert clock.sleeps == [3, 3, 3]
    assert len(fake.requests) == 4


def test_wait_until_off_timeout_while_unreachable():
    fake = FakeHadoop().on('GET', '/jmx', URLError('timed out'))
    clock = FakeClock()
    with pytest.raises(HadoopHttpError) as e:
        hdfs_safemode.wait_until_off(NameNodeJmx(HttpClient(NAMENODE_URL, opener=fake)), 4, 2,
                                     clock=clock.time, sleep=clock.sleep)
    assert str(e.value).startswith('HDFS is still in safe mode after 4s: cannot reach GET %s/jmx' % NAMENODE_URL)


@pytest.mark.parametrize('state, before, capture, after', [
    ('entered', 'off', 'dfsadmin_safemode_enter.txt', 'manual'),
    ('left', 'manual', 'dfsadmin_safemode_leave.txt', 'off'),
    ('left', 'startup', 'dfsadmin_safemode_leave.txt', 'off'),
])
def test_change_runs_dfsadmin(hadoop, commands, run_module, cli_args, state, before, capture, after):
    answers(hadoop, before, after)
    commands.results.append(tool_capture(capture))
    result = run_module(hdfs_safemode, dict(cli_args, state=state))
    assert result['changed'] is True
    assert result['safemode'] == {'on': after != 'off', 'message': message(after)}
    assert result['diff'] == {'before': {'on': before != 'off'}, 'after': {'on': state == 'entered'}}
    argv, = commands.calls
    assert argv[0] == '/usr/lib/jvm/java-17/bin/java'
    assert argv[-3:] == [DFSADMIN, '-safemode', 'enter' if state == 'entered' else 'leave']


def test_namenode_address_is_passed_as_fs(hadoop, commands, run_module, cli_args):
    answers(hadoop, 'off', 'manual')
    commands.results.append(tool_capture('dfsadmin_safemode_enter.txt'))
    address = 'hdfs://%s' % bean('nn_jmx_NameNodeStatus.json')['HostAndPort']
    run_module(hdfs_safemode, dict(cli_args, state='entered', namenode_address=address))
    assert commands.calls[0][-5:] == [DFSADMIN, '-fs', address, '-safemode', 'enter']


@pytest.mark.parametrize('state, current', [('entered', 'off'), ('left', 'manual'), ('left', 'startup')])
def test_check_mode_runs_nothing(hadoop, commands, run_module, cli_args, state, current):
    answers(hadoop, current)
    result = run_module(hdfs_safemode, dict(cli_args, state=state), check_mode=True)
    assert result['changed'] is True
    assert result['safemode'] == {'on': state == 'entered', 'message': ''}
    assert commands.calls == []
    assert [r.method for r in hadoop.requests] == ['GET']


@pytest.mark.parametrize('state, current', [
    ('entered', 'manual'), ('entered', 'startup'), ('entered', 'extension'), ('left', 'off'),
])
def test_idempotent(hadoop, commands, run_module, cli_args, state, current):
    answers(hadoop, current)
    result = run_module(hdfs_safemode, dict(cli_args, state=state))
    assert result['changed'] is False
    assert result['safemode']['message'] == message(current)
    assert commands.calls == []


def test_failed_command_fails_the_module(hadoop, commands, run_module, cli_args):
    # Derived: the captured `-safemode enter` output with exit code 255, as
    # when the user is not the HDFS superuser (the capture ran as root).
    rc, out, err = tool_capture('dfsadmin_safemode_enter.txt')
    answers(hadoop, 'off')
    commands.results.append((255, '', err))
    result = run_module(hdfs_safemode, dict(cli_args, state='entered'))
    assert result['failed'] is True
    assert result['rc'] == 255
    assert result['msg'] == 'dfsadmin -safemode enter failed with exit code 255: %s' % err.strip()


def test_no_hadoop_installation(hadoop, commands, run_module, cli_args, tmp_path):
    answers(hadoop, 'off')
    result = run_module(hdfs_safemode, dict(cli_args, state='entered', hadoop_home=str(tmp_path / 'none')))
    assert result['failed'] is True
    assert 'does not hold a Hadoop installation' in result['msg']
    assert commands.calls == []


def test_unreachable_namenode(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    result = run_module(hdfs_safemode, {'namenode_url': NAMENODE_URL, 'state': 'entered'})
    assert result['failed'] is True
    assert result['msg'].startswith('cannot reach GET %s/jmx?qry=' % NAMENODE_URL)
    assert commands.calls == []


def test_save_namespace_after_entering(hadoop, commands, run_module, cli_args):
    # The -saveNamespace answer is derived (rc 0, no output at the WARN level
    # the module runs tools with); the -safemode enter one is captured.
    answers(hadoop, 'off', 'manual')
    commands.results.extend([tool_capture('dfsadmin_safemode_enter.txt'), (0, '', '')])
    result = run_module(hdfs_safemode, dict(cli_args, state='entered', save_namespace=True))
    assert result['changed'] is True and result['saved_namespace'] is True
    assert commands.calls[0][-3:] == [DFSADMIN, '-safemode', 'enter']
    assert commands.calls[1][-2:] == [DFSADMIN, '-saveNamespace']


def test_save_namespace_when_already_in_safemode(hadoop, commands, run_module, cli_args):
    answers(hadoop, 'manual')
    commands.results.append((0, '', ''))
    result = run_module(hdfs_safemode, dict(cli_args, state='entered', save_namespace=True))
    assert result['changed'] is True
    argv, = commands.calls
    assert argv[-2:] == [DFSADMIN, '-saveNamespace']
