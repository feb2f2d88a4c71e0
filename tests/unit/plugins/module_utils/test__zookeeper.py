# -*- coding: utf-8 -*-
"""ZooKeeper's four-letter words, from answers captured from a real ensemble
and replayed by a TCP server on the loopback address."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._readiness import probe
from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import (
    FourLetterClient, ZNodeClient, ZooKeeperError, ensemble_problems, parse_mntr, parse_srvr)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    ZooKeeperReplay, ZooKeeperSessionReplay, captured_bytes)


def captured(name):
    return captured_bytes('zookeeper/' + name).decode('utf-8')


@pytest.fixture
def replay():
    servers = []

    def start(answers):
        servers.append(ZooKeeperReplay(answers))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def test_srvr_of_the_leader_and_a_follower():
    leader = parse_srvr(captured('srvr-leader.txt'))
    assert leader == {'mode': 'leader', 'version': '3.9.5', 'zxid': 0x100000000, 'node_count': 5, 'connections': 1}
    assert parse_srvr(captured('srvr-follower.txt'))['mode'] == 'follower'


def test_srvr_of_a_server_outside_a_quorum():
    state = parse_srvr(captured('srvr-not-serving.txt'))
    assert state['mode'] is None
    assert state['detail'] == 'not in a quorum yet (This ZooKeeper instance is not currently serving requests)'


def test_a_word_off_the_whitelist_is_named_with_the_fix():
    refused = 'the server refuses srvr: conf is not executed because it is not in the whitelist. Add srvr to '
    with pytest.raises(ZooKeeperError, match=refused + '4lw.commands.whitelist'):
        parse_srvr(captured('conf-not-whitelisted.txt'))
    with pytest.raises(ZooKeeperError, match='not a srvr answer'):
        parse_srvr('HTTP/1.1 400 Bad Request\r\n')


def test_mntr_values_are_typed():
    values = parse_mntr(captured('mntr-leader.txt'))
    assert values['zk_server_state'] == 'leader'
    assert values['zk_synced_followers'] == 2 and values['zk_quorum_size'] == 3
    assert values['zk_avg_latency'] == 0.0
    with pytest.raises(ZooKeeperError, match='refuses mntr'):
        parse_mntr(captured('conf-not-whitelisted.txt'))


def test_the_client_sends_the_word_and_reads_until_the_server_closes(replay):
    server = replay({'srvr': 'srvr-leader.txt', 'mntr': 'mntr-leader.txt'})
    client = FourLetterClient.from_url('tcp://127.0.0.1:%d' % server.port)
    assert client.srvr()['mode'] == 'leader'
    assert len(client.mntr()) > 30
    assert server.words == ['srvr', 'mntr']


def test_a_closed_port_is_an_error_not_a_crash():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(ZooKeeperError, match='cannot connect to 127.0.0.1:%d' % port):
        FourLetterClient('127.0.0.1', port, timeout=2).srvr()


def test_only_tcp_urls_name_a_server():
    with pytest.raises(ValueError, match='tcp://host:port'):
        FourLetterClient.from_url('http://zk1.example.com:2181')
    assert FourLetterClient.from_url('tcp://zk1.example.com').port == 2181


@pytest.mark.parametrize('answer, ready, detail', [
    ('srvr-leader.txt', True, 'the ZooKeeper server is leader'),
    ('srvr-follower.txt', True, 'the ZooKeeper server is follower'),
    ('srvr-not-serving.txt', False, 'the ZooKeeper server is not in a quorum yet'),
    ('conf-not-whitelisted.txt', False, 'no answer yet: the server refuses srvr'),
])
def test_readiness_is_a_serving_mode(replay, answer, ready, detail):
    server = replay({'srvr': answer})
    result = probe('zookeeper', FourLetterClient('127.0.0.1', server.port))
    assert result[0] is ready and result[1].startswith(detail)


def servers(*entries):
    return [dict(host=host, myid=myid, config=config or {}) for host, myid, config in entries]


def test_a_sound_ensemble_has_no_problem():
    assert ensemble_problems(servers(('zk1', 1, None), ('zk2', '2', {'tickTime': 3000}), ('zk3', 3, None))) == []
    assert ensemble_problems([]) == []


def test_ensemble_problems_name_the_host_and_the_fix():
    problems = ensemble_problems(servers(
        ('zk1', 1, {'dataDir': '/data/zk', 'server.9': 'x:1:2'}), ('zk2', 1, None), ('zk3', None, None),
        ('zk4', 256, None)))
    assert problems == [
        'zk1: zoo.cfg dataDir comes from zookeeper_data_dir; remove it from zookeeper_config*',
        'zk1: zoo.cfg server.9 comes from the hosts of the ZooKeeper group and their zookeeper_myid; remove it from '
        'zookeeper_config*',
        "zk3: zookeeper_myid is not set; give each ZooKeeper server its own id from 1 to 255 (the topology inventory "
        "sets it from the host's id or the number in its name)",
        'zk4: zookeeper_myid is 256; it must be a whole number from 1 to 255',
        'zookeeper_myid 1 is given to zk1 and zk2; each server needs its own',
        '4 ZooKeeper servers: an even ensemble survives no more failures than one server less; use 3 or 5',
    ]


@pytest.mark.parametrize('value', [True, 'one', 0, -3, '1.5'])
def test_a_myid_must_be_a_whole_number_in_range(value):
    assert ensemble_problems(servers(('zk1', value, None))) == [
        'zk1: zookeeper_myid is %r; it must be a whole number from 1 to 255' % (value,)]


# ---------------------------------------------------------------------------
# A read-only session (ZNodeClient): the server's frames captured from the
# HA scenario's ensemble, where the failover controllers' znode exists.
# ---------------------------------------------------------------------------

@pytest.fixture
def session():
    servers = []

    def start(frames):
        servers.append(ZooKeeperSessionReplay(frames))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def test_a_session_asks_whether_znodes_exist_and_lists_children(session):
    server = session(['session_connect.bin', 'exists_present.bin', 'exists_missing.bin', 'children_hadoop_ha.bin'])
    with ZNodeClient('127.0.0.1:%d' % server.port) as client:
        assert client.exists('/hadoop-ha/molha') is True
        assert client.exists('/hadoop-ha/nothing-here') is False
        assert client.children('/hadoop-ha') == ['molha']
    server.thread.join(5)
    # connect, three requests (xid 1, 2, 3), close; each request names its path.
    assert len(server.received) == 5
    assert b'/hadoop-ha/nothing-here' in server.received[2]
    assert server.received[-1] == b'\x00\x00\x00\x04\xff\xff\xff\xf5'


def test_the_next_server_is_tried_when_one_is_down(session):
    server = session(['session_connect.bin', 'exists_present.bin'])
    down = socket.socket()
    down.bind(('127.0.0.1', 0))
    port = down.getsockname()[1]
    down.close()
    with ZNodeClient(['127.0.0.1:%d' % port, '127.0.0.1:%d' % server.port], timeout=2) as client:
        assert client.exists('/hadoop-ha/molha') is True


def test_no_server_accepting_a_session_is_an_error():
    down = socket.socket()
    down.bind(('127.0.0.1', 0))
    port = down.getsockname()[1]
    down.close()
    with pytest.raises(ZooKeeperError, match='no ZooKeeper server accepts a session: 127.0.0.1:%d: ' % port):
        with ZNodeClient('127.0.0.1:%d' % port, timeout=2):
            pass
