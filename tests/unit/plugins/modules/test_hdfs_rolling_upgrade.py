# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils import basic
from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import FACT_BEANS
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_rolling_upgrade
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    BEAN, FakeClock, FakeHadoop, Reply, bean, captured_bytes, tool_capture)

# The HA cluster of the rolling-upgrade captures (Hadoop 3.4.2, captured/README.md): nn1 active, nn2 standby.
NN1, NN2 = 'mh-master1.dfmolha:9870', 'mh-master2.dfmolha:9870'
URL = 'http://%s,http://%s' % (NN1, NN2)
DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'


def capture(name, moment, number=1):
    return 'nn_jmx_%s_upgrade_%s_%d.json' % (name, moment, number)


def rolling(moment, number=1):
    return bean(capture('NameNodeInfo', moment, number))['RollingUpgradeStatus']


def answers(hadoop, *moments):
    """nn1 (the active, /isActive 200) answers its four beans as captured at these moments, one per read (the
    last one repeats); nn2 is the standby (/isActive 405)."""
    hadoop.on('GET', '/isActive', Reply(200, captured_bytes('nn_isActive_active.txt')), netloc=NN1)
    hadoop.on('GET', '/isActive', Reply(405, captured_bytes('nn_isActive_standby.html')), netloc=NN2)
    for name in FACT_BEANS:
        hadoop.on('GET', '/jmx', *[Reply.captured(capture(name, m)) for m in moments], qry=BEAN % name, netloc=NN1)


def reads(hadoop):
    """Where the NameNodeInfo bean was read from, once per read."""
    return [r.netloc for r in hadoop.requests if r.query.get('qry') == BEAN % 'NameNodeInfo']


@pytest.fixture
def clock(monkeypatch):
    # The wait binds time.time/time.sleep as default arguments when the
    # module is imported: replace the defaults.
    fake = FakeClock()
    monkeypatch.setattr(hdfs_rolling_upgrade.wait_for_rollback_image, '__defaults__', (fake.time, fake.sleep))
    return fake


@pytest.fixture
def cli_args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'namenode_url': URL, 'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17'}


def test_prepare_runs_the_tool_and_waits_for_the_rollback_image(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'before', 'preparing', 'prepared')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_prepare.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert result['changed'] is True and 'failed' not in result
    assert result['rolling_upgrade'] == rolling('prepared')
    assert result['rolling_upgrade']['createdRollbackImages'] is True
    assert result['diff'] == {'before': {'rolling_upgrade': 'none'}, 'after': {'rolling_upgrade': 'in progress'}}
    argv, = commands.calls
    assert argv[0] == '/usr/lib/jvm/java-17/bin/java'
    assert argv[-3:] == [DFSADMIN, '-rollingUpgrade', 'prepare']
    # Read before the tool, then until the image exists: preparing (no image yet), prepared.
    assert reads(hadoop) == [NN1] * 3
    assert clock.sleeps == [1]
    assert result['waited'] == 1.0


def test_prepare_polls_at_the_interval(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'before', 'preparing', 'preparing', 'preparing', 'prepared')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_prepare.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared', poll_interval=2.5))
    assert clock.sleeps == [2.5, 2.5, 2.5]
    assert result['waited'] == 7.5


def test_prepare_when_prepared_runs_nothing(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'prepared')
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert result['changed'] is False
    assert result['rolling_upgrade'] == rolling('prepared')
    assert result['diff'] == {'before': {'rolling_upgrade': 'in progress'}, 'after': {'rolling_upgrade': 'in progress'}}
    assert commands.calls == [] and clock.sleeps == [] and result['waited'] == 0.0


def test_prepare_resumes_the_wait_for_the_rollback_image(hadoop, commands, run_module, cli_args, clock):
    # Interrupted right after the tool ran: the rolling upgrade is there, its image not yet.
    answers(hadoop, 'preparing', 'preparing', 'prepared')
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert result['changed'] is False and commands.calls == []
    assert result['rolling_upgrade'] == rolling('prepared')
    assert clock.sleeps == [1]


@pytest.mark.parametrize('state, moment', [('prepared', 'before'), ('finalized', 'prepared')])
def test_check_mode_runs_nothing(hadoop, commands, run_module, cli_args, clock, state, moment):
    answers(hadoop, moment)
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state=state), check_mode=True)
    assert result['changed'] is True
    assert result['rolling_upgrade'] == rolling(moment)
    assert result['diff']['before'] == {'rolling_upgrade': 'none' if state == 'prepared' else 'in progress'}
    assert commands.calls == [] and clock.sleeps == []
    assert {r.method for r in hadoop.requests} == {'GET'}
    assert reads(hadoop) == [NN1]


@pytest.mark.parametrize('state, moment', [('prepared', 'prepared'), ('finalized', 'before')])
def test_check_mode_when_nothing_changes(hadoop, commands, run_module, cli_args, state, moment):
    answers(hadoop, moment)
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state=state), check_mode=True)
    assert result['changed'] is False and commands.calls == []


def test_finalize(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'prepared', 'finalized')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_finalize.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='finalized'))
    assert result['changed'] is True and 'failed' not in result
    assert rolling('finalized') is None and rolling('prepared') is not None
    assert result['rolling_upgrade'] is None
    assert result['diff'] == {'before': {'rolling_upgrade': 'in progress'}, 'after': {'rolling_upgrade': 'none'}}
    argv, = commands.calls
    assert argv[-3:] == [DFSADMIN, '-rollingUpgrade', 'finalize']
    assert reads(hadoop) == [NN1, NN1] and clock.sleeps == []


def test_finalize_when_none_is_in_progress(hadoop, commands, run_module, cli_args):
    answers(hadoop, 'finalized')
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='finalized'))
    assert result['changed'] is False and result['rolling_upgrade'] is None
    assert commands.calls == []


def test_finalize_that_leaves_the_rolling_upgrade(hadoop, commands, run_module, cli_args):
    # The tool succeeded (captured) and the active NameNode still lists the rolling upgrade.
    answers(hadoop, 'prepared')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_finalize.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='finalized'))
    assert result['failed'] is True and result['changed'] is True
    assert result['msg'] == ('the rolling upgrade is still in progress after `dfsadmin -rollingUpgrade finalize`: '
                             '%s. Check the active NameNode\'s log and run again.' % rolling('prepared'))


def test_the_image_that_does_not_come(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'before', 'preparing')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_prepare.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared', wait_timeout=5))
    assert result['failed'] is True and result['changed'] is True
    assert result['msg'] == (
        'the NameNodes have not saved the rollback image 5s after the rolling upgrade was prepared (status %s). '
        'Check the standby NameNode (it writes the image) and its log, then run again: the upgrade resumes.'
        % rolling('preparing'))
    assert "'createdRollbackImages': False" in result['msg']
    assert clock.sleeps == [1] * 5
    assert len(commands.calls) == 1


def test_the_tool_fails(hadoop, commands, run_module, cli_args, clock):
    # Derived: the captured prepare's stderr with exit code 255 (as when not run as the HDFS superuser).
    dummy, out, err = tool_capture('dfsadmin_rollingUpgrade_prepare.txt')
    assert out
    answers(hadoop, 'before')
    commands.results.append((255, '', err))
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert result['failed'] is True and result['rc'] == 255
    assert result['msg'] == 'dfsadmin -rollingUpgrade prepare failed with exit code 255: %s' % err.strip()
    assert clock.sleeps == [] and reads(hadoop) == [NN1]


def test_no_active_namenode(hadoop, commands, run_module, cli_args):
    hadoop.on('GET', '/isActive', URLError('[Errno 111] Connection refused'), netloc=NN1)
    hadoop.on('GET', '/isActive', Reply(405, captured_bytes('nn_isActive_standby.html')), netloc=NN2)
    result = run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert result['failed'] is True
    assert result['msg'] == 'no active NameNode: http://%s does not answer; http://%s is not active' % (NN1, NN2)
    assert commands.calls == []


@pytest.mark.parametrize('user, expected', [(None, 'hdfs'), ('hdfsadmin', 'hdfsadmin')])
def test_the_tool_runs_as_the_admin_user(hadoop, run_module, cli_args, monkeypatch, user, expected):
    runs = []

    def run_command(module, args, **kwargs):
        runs.append(kwargs.get('environ_update') or {})
        return tool_capture('dfsadmin_rollingUpgrade_finalize.txt')

    monkeypatch.setattr(basic.AnsibleModule, 'run_command', run_command)
    answers(hadoop, 'prepared', 'finalized')
    run_module(hdfs_rolling_upgrade, dict(cli_args, state='finalized', **({'admin_user': user} if user else {})))
    assert [env.get('HADOOP_USER_NAME') for env in runs] == [expected]


# One NameNode: HDFS prepares only in safe mode. The NameNode of the capture (nn1) stands for it; the tools'
# outputs are those captured (safe mode on the single-host cluster, prepare on the HA one): the module reads their
# exit codes only.

def single(cli_args):
    return dict(cli_args, namenode_url='http://' + NN1)


def tails(commands):
    return [argv[argv.index(DFSADMIN) + 1:] for argv in commands.calls]


def test_prepare_without_ha_in_safe_mode(hadoop, commands, run_module, cli_args, clock):
    hadoop.on_beans(**dict((name, [capture(name, 'before'), capture(name, 'prepared')]) for name in FACT_BEANS))
    commands.results.extend([tool_capture('dfsadmin_safemode_enter.txt'),
                             tool_capture('dfsadmin_rollingUpgrade_prepare.txt'),
                             tool_capture('dfsadmin_safemode_leave.txt')])
    result = run_module(hdfs_rolling_upgrade, dict(single(cli_args), state='prepared'))
    assert result['changed'] is True and 'failed' not in result
    assert tails(commands) == [['-safemode', 'enter'], ['-rollingUpgrade', 'prepare'], ['-safemode', 'leave']]
    assert result['rolling_upgrade'] == rolling('prepared')
    assert [r.path for r in hadoop.requests if r.path != '/jmx'] == []
    assert clock.sleeps == []


def test_a_failed_prepare_without_ha_leaves_safe_mode(hadoop, commands, run_module, cli_args, clock):
    # Derived: the captured prepare's stderr with exit code 255.
    dummy, dummy_out, err = tool_capture('dfsadmin_rollingUpgrade_prepare.txt')
    hadoop.on_beans(**dict((name, capture(name, 'before')) for name in FACT_BEANS))
    commands.results.extend([tool_capture('dfsadmin_safemode_enter.txt'), (255, '', err),
                             tool_capture('dfsadmin_safemode_leave.txt')])
    result = run_module(hdfs_rolling_upgrade, dict(single(cli_args), state='prepared'))
    assert result['failed'] is True and result['rc'] == 255
    assert result['msg'] == ('dfsadmin -rollingUpgrade prepare failed with exit code 255 (safe mode was entered for it '
                             'and left again): %s' % err.strip())
    assert tails(commands) == [['-safemode', 'enter'], ['-rollingUpgrade', 'prepare'], ['-safemode', 'leave']]
    assert clock.sleeps == []


def test_finalize_without_ha_needs_no_safe_mode(hadoop, commands, run_module, cli_args):
    hadoop.on_beans(**dict((name, [capture(name, 'prepared'), capture(name, 'finalized')]) for name in FACT_BEANS))
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_finalize.txt'))
    result = run_module(hdfs_rolling_upgrade, dict(single(cli_args), state='finalized'))
    assert result['changed'] is True and result['rolling_upgrade'] is None
    assert tails(commands) == [['-rollingUpgrade', 'finalize']]


def test_prepare_with_ha_needs_no_safe_mode(hadoop, commands, run_module, cli_args, clock):
    answers(hadoop, 'before', 'prepared')
    commands.results.append(tool_capture('dfsadmin_rollingUpgrade_prepare.txt'))
    run_module(hdfs_rolling_upgrade, dict(cli_args, state='prepared'))
    assert tails(commands) == [['-rollingUpgrade', 'prepare']]


# wait_for_rollback_image ------------------------------------------------------------------

def fake_namenode(*moments):
    """A FakeHadoop answering nn1's beans at these moments, one per read (the last one repeats). A moment may be
    an exception: the read fails on the first bean with it."""
    fake = FakeHadoop()
    for name in FACT_BEANS:
        replies = [m if isinstance(m, BaseException) else Reply.captured(capture(name, m)) for m in moments
                   if name == FACT_BEANS[0] or not isinstance(m, BaseException)]
        fake.on('GET', '/jmx', *replies, qry=BEAN % name)
    return fake


def test_wait_survives_a_namenode_that_does_not_answer_for_a_while():
    fake = fake_namenode(URLError('[Errno 111] Connection refused'), 'preparing', 'prepared')
    clock = FakeClock()
    status, waited = hdfs_rolling_upgrade.wait_for_rollback_image(HttpClient('http://' + NN1, opener=fake), 60, 2,
                                                                  clock=clock.time, sleep=clock.sleep)
    assert status == rolling('prepared') and waited == 4
    assert clock.sleeps == [2, 2]


def test_wait_times_out_with_the_last_error():
    fake = FakeHadoop().on('GET', '/jmx', URLError('timed out'))
    clock = FakeClock()
    with pytest.raises(HadoopHttpError) as e:
        hdfs_rolling_upgrade.wait_for_rollback_image(HttpClient('http://' + NN1, opener=fake), 3, 1,
                                                     clock=clock.time, sleep=clock.sleep)
    assert str(e.value).startswith('the NameNodes have not saved the rollback image 3s after the rolling upgrade was '
                                   'prepared (cannot reach GET http://%s/jmx?qry=' % NN1)
    assert str(e.value).endswith(': timed out). Check the standby NameNode (it writes the image) and its log, then '
                                 'run again: the upgrade resumes.')
    assert clock.sleeps == [1, 1, 1]


def test_wait_without_a_rolling_upgrade_times_out():
    fake = fake_namenode('before')
    clock = FakeClock()
    with pytest.raises(HadoopHttpError) as e:
        hdfs_rolling_upgrade.wait_for_rollback_image(HttpClient('http://' + NN1, opener=fake), 2, 1,
                                                     clock=clock.time, sleep=clock.sleep)
    assert '(status None)' in str(e.value)
