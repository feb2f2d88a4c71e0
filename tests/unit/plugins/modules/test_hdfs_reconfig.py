# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _reconfig
from ansible_collections.datafleet.hadoop.plugins.module_utils._daemons import RECONFIGURABLE
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_reconfig
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import FakeClock, tool_capture

DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'
NAMENODE = 'df-master.dfsandbox:8020'


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'hadoop_home': str(tmp_path / 'hadoop'), 'java_home': '/usr/lib/jvm/java-17', 'daemon': 'namenode',
            'address': NAMENODE}


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(hdfs_reconfig, 'clock', fake.time)
    monkeypatch.setattr(hdfs_reconfig, 'sleep', fake.sleep)
    return fake


def tool_args(argv):
    return argv[argv.index(DFSADMIN) + 1:]


def test_the_namenode_takes_in_its_changed_properties(commands, run_module, args, clock):
    commands.results += [tool_capture('dfsadmin_reconfig_start.txt'), tool_capture('dfsadmin_reconfig_status_done.txt')]
    result = run_module(hdfs_reconfig, args)
    assert result['changed'] and not result.get('failed')
    assert [tool_args(c) for c in commands.calls] == [['-reconfig', 'namenode', NAMENODE, 'start'],
                                                      ['-reconfig', 'namenode', NAMENODE, 'status']]
    assert dict((c['property'], c['to']) for c in result['reconfigured']) == {
        'dfs.namenode.replication.max-streams': '20', 'dfs.namenode.replication.max-streams-hard-limit': '40',
        'dfs.namenode.replication.work.multiplier.per.iteration': '10'}
    assert result['not_reconfigurable'] == []


def test_nothing_to_change_is_no_change(commands, run_module, args, clock):
    commands.results += [tool_capture('dfsadmin_reconfig_start.txt'),
                         tool_capture('dfsadmin_reconfig_status_nochange.txt')]
    result = run_module(hdfs_reconfig, args)
    assert not result['changed'] and result['reconfigured'] == []


def test_check_mode_asks_nothing(commands, run_module, args):
    result = run_module(hdfs_reconfig, args, check_mode=True)
    assert result['changed'] and commands.calls == []


def test_a_task_that_does_not_finish_fails_after_the_timeout(commands, run_module, args, clock):
    # A status before the task finished: the captured one without its end.
    rc, out, err = tool_capture('dfsadmin_reconfig_status_nochange.txt')
    running = (rc, out.split(' and finished at')[0] + '.\n', err)
    commands.results += [tool_capture('dfsadmin_reconfig_start.txt')] + [running] * 10
    result = run_module(hdfs_reconfig, dict(args, reconfig_timeout=3))
    assert result['failed'] and 'did not finish in 3s' in result['msg']
    assert 3 <= sum(clock.sleeps) <= 5


def test_parse_the_listed_properties():
    listed = _reconfig.parse_properties(tool_capture('dfsadmin_reconfig_properties.txt')[1])
    assert 'dfs.namenode.replication.max-streams' in listed and 'ipc.8020.backoff.enable' in listed
    with pytest.raises(_reconfig.ReconfigError):
        _reconfig.parse_properties('Connection refused')


def test_the_namenode_lists_every_property_the_collection_reconfigures():
    listed = _reconfig.parse_properties(tool_capture('dfsadmin_reconfig_properties.txt')[1])
    assert RECONFIGURABLE['namenode'] <= set(listed)
    # Listed but read by the DataNodes at start: restarts instead.
    assert 'dfs.heartbeat.interval' in listed and 'dfs.heartbeat.interval' not in RECONFIGURABLE['namenode']


DATANODE = 'df-worker1.dfsandbox:9867'


def test_a_datanode_takes_in_a_listed_property(commands, run_module, args, clock):
    commands.results += [tool_capture('dfsadmin_reconfig_datanode_properties.txt'),
                         tool_capture('dfsadmin_reconfig_datanode_start.txt'),
                         tool_capture('dfsadmin_reconfig_datanode_status_done.txt')]
    result = run_module(hdfs_reconfig, dict(args, daemon='datanode', address=DATANODE,
                                            properties=['dfs.datanode.balance.max.concurrent.moves',
                                                        'dfs.namenode.max.slowpeer.collect.nodes']))
    assert result['changed'] and not result.get('failed')
    assert [tool_args(c)[-1] for c in commands.calls] == ['properties', 'start', 'status']
    assert result['reconfigured'] == [{'property': 'dfs.datanode.balance.max.concurrent.moves',
                                       'from': '100', 'to': '150'}]


def test_a_refused_value_fails_with_the_daemons_reason(commands, run_module, args, clock):
    commands.results += [tool_capture('dfsadmin_reconfig_datanode_start.txt'),
                         tool_capture('dfsadmin_reconfig_datanode_status_refused.txt')]
    result = run_module(hdfs_reconfig, dict(args, daemon='datanode', address=DATANODE))
    assert result['failed'] and not result['changed']
    assert ('refused dfs.datanode.balance.max.concurrent.moves: balancer max concurrent movers must be larger '
            'than 0.') in result['msg']


def test_a_property_the_running_release_does_not_list_fails_before_any_change(commands, run_module, args, clock):
    # The captured list without the balancer's property: a release that cannot take it in.
    rc, out, err = tool_capture('dfsadmin_reconfig_datanode_properties.txt')
    commands.results += [(rc, out.replace('dfs.datanode.balance.max.concurrent.moves\n', ''), err)]
    result = run_module(hdfs_reconfig, dict(args, daemon='datanode', address=DATANODE,
                                            properties=['dfs.datanode.balance.max.concurrent.moves']))
    assert result['failed'] and 'cannot change dfs.datanode.balance.max.concurrent.moves while it runs' in result['msg']
    assert 'hadoop_restart_daemons=["datanode"]' in result['msg']
    assert [tool_args(c)[-1] for c in commands.calls] == ['properties']


def test_properties_the_collection_does_not_reconfigure_need_no_list(commands, run_module, args, clock):
    commands.results += [tool_capture('dfsadmin_reconfig_datanode_start.txt'),
                         tool_capture('dfsadmin_reconfig_datanode_status_nochange.txt')]
    result = run_module(hdfs_reconfig, dict(args, daemon='datanode', address=DATANODE,
                                            properties=['dfs.namenode.max.slowpeer.collect.nodes']))
    assert not result['changed'] and [tool_args(c)[-1] for c in commands.calls] == ['start', 'status']


def test_the_datanode_lists_every_property_the_collection_reconfigures():
    listed = _reconfig.parse_properties(tool_capture('dfsadmin_reconfig_datanode_properties.txt')[1])
    assert RECONFIGURABLE['datanode'] <= set(listed)
    # Listed, but changed on every DataNode at once: restarts in batches instead.
    assert 'dfs.datanode.data.dir' in listed and 'dfs.datanode.data.dir' not in RECONFIGURABLE['datanode']


def test_not_reconfigurable_failures_are_returned_not_fatal():
    failed = [('dfs.replication', 'Property dfs.replication is not reconfigurable'),
              ('dfs.datanode.balance.max.concurrent.moves', 'balancer max concurrent movers must be larger than 0.')]
    assert _reconfig.refused(failed) == failed[1:]
