# -*- coding: utf-8 -*-
"""hdfs_zkfc_format against a replay of the real ensemble's answers (frames
captured from the HA scenario) and the -formatZK command faked."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_zkfc_format
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import ZooKeeperSessionReplay, tool_capture

ZKFC = 'org.apache.hadoop.hdfs.tools.DFSZKFailoverController'


@pytest.fixture
def ensemble():
    servers = []

    def start(*frames):
        servers.append(ZooKeeperSessionReplay(frames))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'nameservice': 'molha', 'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17'}


def test_an_existing_znode_is_left_alone(args, ensemble, commands, run_module):
    server = ensemble('session_connect.bin', 'exists_present.bin')
    result = run_module(hdfs_zkfc_format, dict(args, zookeeper_quorum=['127.0.0.1:%d' % server.port]))
    assert result['changed'] is False and result['created'] is False and result['znode'] == '/hadoop-ha/molha'
    assert commands.calls == []


def test_a_missing_znode_is_created_once(args, ensemble, commands, run_module):
    # Before: no znode; after the command: it exists.
    server = ensemble('session_connect.bin', 'exists_missing.bin', 'session_connect.bin', 'exists_present.bin')
    commands.results.append((0, '', ''))
    result = run_module(hdfs_zkfc_format, dict(args, zookeeper_quorum=['127.0.0.1:%d' % server.port]))
    assert result['changed'] is True and result['created'] is True
    argv, = commands.calls
    assert argv[-3:] == [ZKFC, '-formatZK', '-nonInteractive']
    assert '-force' not in argv


def test_check_mode_creates_nothing(args, ensemble, commands, run_module):
    server = ensemble('session_connect.bin', 'exists_missing.bin')
    result = run_module(hdfs_zkfc_format, dict(args, zookeeper_quorum=['127.0.0.1:%d' % server.port]),
                        check_mode=True)
    assert result['changed'] is True and result['diff']['after'] == {'znode': '/hadoop-ha/molha'}
    assert commands.calls == []


def test_a_znode_created_meanwhile_is_not_replaced(args, ensemble, commands, run_module):
    # -formatZK -nonInteractive exits 2 when the znode exists (captured): another
    # controller created it after the check.
    server = ensemble('session_connect.bin', 'exists_missing.bin')
    commands.results.append(tool_capture('zkfc_formatZK_nonInteractive_exists.txt'))
    result = run_module(hdfs_zkfc_format, dict(args, zookeeper_quorum=['127.0.0.1:%d' % server.port]))
    assert result['changed'] is False and result['created'] is False


def test_no_ensemble_is_a_clear_error(args, commands, run_module):
    down = socket.socket()
    down.bind(('127.0.0.1', 0))
    port = down.getsockname()[1]
    down.close()
    result = run_module(hdfs_zkfc_format, dict(args, zookeeper_quorum=['127.0.0.1:%d' % port]))
    assert result['failed'] is True
    assert result['msg'].startswith('cannot tell whether /hadoop-ha/molha exists: no ZooKeeper server accepts a session')
    assert result['msg'].endswith('Start the ZooKeeper ensemble (and check ha.zookeeper.quorum)')
    assert commands.calls == []
