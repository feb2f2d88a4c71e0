# -*- coding: utf-8 -*-
"""hdfs_ready: HDFS out of safe mode with its in-service DataNodes live, then the base directories, in one call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_ready
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeClock, Reply, bean, file_status)

NORMAL = dict(NameNodeStatus='nn_jmx_NameNodeStatus.json', FSNamesystemState='nn_jmx_FSNamesystemState.json',
              FSNamesystem='nn_jmx_FSNamesystem.json', NameNodeInfo='nn_jmx_NameNodeInfo.json')
STARTUP = dict((name, payload.replace('.json', '_safemode_startup.json')) for name, payload in NORMAL.items())
# The captured cluster's one DataNode.
DATANODE = 'localhost'


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(hdfs_ready, 'time', fake)
    return fake


def args(tmp_path, entries=None, **extra):
    hosts_file = tmp_path / 'dfs.hosts.json'
    if entries is not None:
        hosts_file.write_text(json.dumps(entries))
    return dict({'members': [DATANODE], 'hosts_file': str(hosts_file), 'namenode_url': NAMENODE_URL,
                 'user': 'hdfs', 'wait_timeout': 30}, **extra)


def test_ready_hdfs_is_read_once_and_the_directories_in_place_are_left(hadoop, run_module, clock, tmp_path):
    hadoop.on_beans(**NORMAL)
    # The captured /data: root, supergroup, 755.
    hadoop.on('GET', '/webhdfs/v1/data', Reply.json({'FileStatus': file_status('webhdfs_GETFILESTATUS_dir.json')}),
              op='GETFILESTATUS')
    result = run_module(hdfs_ready, args(tmp_path, paths=[{'path': '/data', 'owner': 'root', 'mode': '0755'}],
                                         group='supergroup'))
    assert result['changed'] is False and result['live'] == [DATANODE] and result['waited'] == 0
    assert result['paths'][0]['status']['mode'] == '755' and result['diff'] == []
    assert clock.sleeps == []
    assert [r.method for r in hadoop.requests if '/webhdfs/' in r.path] == ['GET']


def test_waits_through_startup_safe_mode(hadoop, run_module, clock, tmp_path):
    hadoop.on_beans(**dict((name, [STARTUP[name], NORMAL[name]]) for name in NORMAL))
    result = run_module(hdfs_ready, args(tmp_path))
    assert result['changed'] is False and clock.sleeps == [3]


def test_a_member_decommissioned_in_the_hosts_file_is_not_waited_for(hadoop, run_module, tmp_path):
    hadoop.on_beans(**NORMAL)
    entries = [{'hostName': DATANODE}, {'hostName': 'dn7.example.com', 'adminState': 'DECOMMISSIONED'}]
    result = run_module(hdfs_ready, args(tmp_path, entries, members=[DATANODE, 'dn7.example.com']))
    assert result['live'] == [DATANODE]


def test_a_member_not_live_fails_at_the_timeout_with_its_name(hadoop, run_module, clock, tmp_path):
    hadoop.on_beans(**NORMAL)
    result = run_module(hdfs_ready, args(tmp_path, members=[DATANODE, 'dn9.example.com'], wait_timeout=9))
    assert result['failed'] is True
    assert result['msg'] == 'HDFS is not ready after 9 s: not live and in service: dn9.example.com.'
    assert sum(clock.sleeps) >= 9


def test_safe_mode_that_does_not_end_is_named(hadoop, run_module, tmp_path):
    hadoop.on_beans(**STARTUP)
    result = run_module(hdfs_ready, args(tmp_path, wait_timeout=6))
    assert result['failed'] is True
    message = bean('nn_jmx_NameNodeInfo_safemode_startup.json')['Safemode'].strip()
    assert result['msg'] == ('HDFS is not ready after 6 s: the NameNode is in safe mode (%s); '
                             'not live and in service: localhost.' % message)


def test_a_bad_hosts_file_fails_before_asking_hdfs(hadoop, run_module, tmp_path):
    (tmp_path / 'dfs.hosts.json').write_text('{not json')
    result = run_module(hdfs_ready, args(tmp_path))
    assert result['failed'] is True and result['msg'].startswith('not a JSON hosts file')
    assert hadoop.requests == []
