# -*- coding: utf-8 -*-
"""zookeeper_info against srvr answers captured from a real ensemble, replayed
by TCP servers on the loopback address."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import parse_srvr
from ansible_collections.datafleet.hadoop.plugins.modules import zookeeper_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import ZooKeeperReplay, captured_bytes


@pytest.fixture
def ensemble():
    servers = []

    def start(*captures):
        for name in captures:
            servers.append(ZooKeeperReplay({'srvr': name}))
        return ['127.0.0.1:%d' % s.port for s in servers[-len(captures):]]
    yield start
    for server in servers:
        server.close()


def closed_port():
    """A port nothing listens on (bound, then released)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def captured(name):
    return parse_srvr(captured_bytes('zookeeper/' + name).decode('utf-8'))


def test_leader_and_followers(ensemble, run_module):
    servers = ensemble('srvr-follower.txt', 'srvr-leader.txt', 'srvr-follower.txt')
    result = run_module(zookeeper_info, {'servers': servers})
    assert result['changed'] is False
    assert result['leader'] == servers[1]
    assert result['followers'] == [servers[0], servers[2]]
    assert result['serving'] == 3
    leader = captured('srvr-leader.txt')
    assert result['servers'][1] == {'server': servers[1], 'mode': 'leader', 'version': leader['version'],
                                    'zxid': leader['zxid'], 'error': None}


def test_a_server_outside_the_quorum_and_one_that_does_not_answer(ensemble, run_module):
    servers = ensemble('srvr-leader.txt', 'srvr-not-serving.txt') + ['127.0.0.1:%d' % closed_port()]
    result = run_module(zookeeper_info, {'servers': servers, 'timeout': 2})
    assert result['leader'] == servers[0]
    assert result['followers'] == []
    assert result['serving'] == 1
    outside, silent = result['servers'][1], result['servers'][2]
    assert outside['mode'] is None and outside['error'] == captured('srvr-not-serving.txt')['detail']
    assert silent['mode'] is None and silent['error'].startswith('cannot connect to 127.0.0.1:')


def test_no_leader(ensemble, run_module):
    servers = ensemble('srvr-not-serving.txt', 'srvr-follower.txt')
    result = run_module(zookeeper_info, {'servers': servers})
    assert result['leader'] is None
    assert result['followers'] == [servers[1]]


def test_the_port_option_for_servers_given_without_one(ensemble, run_module):
    address = ensemble('srvr-leader.txt')[0]
    result = run_module(zookeeper_info, {'servers': ['127.0.0.1'], 'port': int(address.split(':')[1])})
    assert result['leader'] == '127.0.0.1'
