# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_datanode_shutdown
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeClock, Reply, bean, fsck_open_block_one_replica_less, fsck_replica_states, tool_capture)

W1, W2 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox'
DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'
# The IPC address (dfs.datanode.ipc.address) of the sandbox DataNode whose
# DataNodeInfo bean was captured: df-worker1, port 9867.
DATANODE = bean('dn_jmx_DataNodeInfo.json')
ADDR = '%s:%s' % (DATANODE['DatanodeHostname'], DATANODE['RpcPort'])
# -shutdownDatanode ... upgrade (rc 0), and -getDatanodeInfo of the
# DataNode it stopped (rc 255, connection refused).
SHUTDOWN = 'dfsadmin_shutdownDatanode_upgrade.txt'
DOWN = 'dfsadmin_getDatanodeInfo_down.txt'
INFO = 'nn_jmx_NameNodeInfo_recommissioned.json'
SYSTEM = 'nn_jmx_FSNamesystem_decommissioned.json'


def serve(hadoop, info=INFO, state='nn_jmx_FSNamesystemState_decommissioned.json', system=SYSTEM):
    hadoop.on_beans(NameNodeStatus='nn_jmx_NameNodeStatus.json', FSNamesystemState=state, FSNamesystem=system,
                    NameNodeInfo=info)


def answer(commands, *names):
    commands.results.extend(tool_capture(name) for name in names)


class Port(object):
    """The DataNode's IPC port as the module's connect sees it: open or
    closed, one state per question, in order."""

    def __init__(self):
        self.states = []
        self.asked = []

    def __call__(self, address, timeout):
        self.asked.append(address)
        if self.states.pop(0) == 'closed':
            raise ConnectionRefusedError(111, 'Connection refused')
        return socket.socket()


@pytest.fixture
def port(monkeypatch):
    fake = Port()
    monkeypatch.setattr(hdfs_datanode_shutdown, 'connect', fake)
    return fake


def tool_args(argv):
    """What follows the DFSAdmin main class in a java argv."""
    assert argv[0] == '/usr/lib/jvm/java-17/bin/java' and DFSADMIN in argv
    return argv[argv.index(DFSADMIN) + 1:]


def is_shutdown(argv):
    return tool_args(argv) == ['-shutdownDatanode', ADDR, 'upgrade']


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(hdfs_datanode_shutdown, 'clock', fake.time)
    monkeypatch.setattr(hdfs_datanode_shutdown, 'sleep', fake.sleep)
    return fake


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'address': ADDR, 'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17'}


def test_the_captures_are_of_that_datanode():
    rc, out, err = tool_capture(DOWN)
    assert rc == 255 and 'to %s failed on connection exception' % ADDR in err and 'Connection refused' in err
    rc, out, err = tool_capture(SHUTDOWN)
    assert rc == 0 and out.strip().endswith(' ' + ADDR)


def test_the_port_is_tried_with_a_real_connection():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    address = '127.0.0.1:%d' % listener.getsockname()[1]
    try:
        assert hdfs_datanode_shutdown.answers(address) is True
    finally:
        listener.close()
    assert hdfs_datanode_shutdown.answers(address) is False
    assert hdfs_datanode_shutdown.answers('127.0.0.1:not-a-port') is False


def test_a_datanode_that_does_not_answer_is_left_alone(commands, port, run_module, args, clock):
    port.states = ['closed']
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['changed'] is False and not result.get('failed')
    assert result['was_running'] is False and result['waited'] == 0.0
    assert commands.calls == [] and port.asked == [(DATANODE['DatanodeHostname'], int(DATANODE['RpcPort']))]
    assert clock.sleeps == []


def test_not_running_asks_nothing_of_the_namenode(hadoop, commands, port, run_module, args, clock):
    port.states = ['closed']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is False
    assert commands.calls == [] and hadoop.requests == []


@pytest.mark.parametrize('interval, polls', [(1, 2), (3, 1), (2, 4)])
def test_shutdown_then_wait_until_it_is_gone(commands, port, run_module, args, clock, interval, polls):
    port.states = ['open'] + ['open'] * polls + ['closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, poll_interval=interval))
    assert result['changed'] is True and not result.get('failed')
    assert result['was_running'] is True
    assert clock.sleeps == [interval] * polls
    assert result['waited'] == float(interval * polls)
    argv, = commands.calls
    assert is_shutdown(argv)
    assert port.states == [] and len(port.asked) == polls + 2


def test_gone_at_the_first_question(commands, port, run_module, args, clock):
    port.states = ['open', 'closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['changed'] is True and result['waited'] == 0.0
    assert len(commands.calls) == 1 and port.states == []


def test_still_answering_after_the_timeout(commands, port, run_module, args, clock):
    port.states = ['open'] * 11
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, timeout=3, poll_interval=1))
    assert result['failed'] is True
    assert result['msg'] == 'The DataNode %s still answers 3s after -shutdownDatanode: look at its log' % ADDR
    assert clock.sleeps == [1, 1, 1]
    # Tried before, then at 0, 1, 2 and 3 s after the shutdown.
    assert len(port.asked) == 1 + 4


def test_a_failed_shutdown_fails_the_module(commands, port, run_module, args, clock):
    # Derived: the DataNode went away between the question and the command,
    # so -shutdownDatanode got the connection refused of the "down" capture.
    rc, out, err = tool_capture(DOWN)
    port.states = ['open']
    commands.results.append((rc, out, err))
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['failed'] is True and result['rc'] == rc
    assert result['msg'].startswith('dfsadmin -shutdownDatanode %s upgrade failed with exit code %s' % (ADDR, rc))
    assert len(commands.calls) == 1


def test_check_mode_stops_nothing(hadoop, commands, port, run_module, args, clock):
    serve(hadoop)
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL), check_mode=True)
    assert result['changed'] is True and result['was_running'] is True
    assert commands.calls == []
    # The guard ran.
    assert hadoop.requests


def test_check_mode_when_not_running(commands, port, run_module, args, clock):
    port.states = ['closed']
    result = run_module(hdfs_datanode_shutdown, args, check_mode=True)
    assert result['changed'] is False and result['was_running'] is False
    assert commands.calls == []


def test_guard_passes_on_a_healthy_cluster(hadoop, commands, port, run_module, args, clock):
    serve(hadoop)
    port.states = ['open', 'closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is True
    argv, = commands.calls
    assert is_shutdown(argv)
    assert set(r.path for r in hadoop.requests) == {'/jmx'}


def test_guard_refuses_on_missing_blocks(hadoop, commands, port, run_module, args, clock):
    # Derived: FSNamesystem counting 5 missing blocks.
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), MissingBlocks=5)]}))
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNode %s: HDFS has 5 missing blocks and 0 blocks with a '
                                    'corrupt replica' % ADDR)
    assert commands.calls == []


@pytest.mark.parametrize('corrupt, refused', [(1, False), (2, True)])
def test_guard_allows_corrupt_replicas_of_files_open_for_write(hadoop, commands, port, run_module, args, clock,
                                                               corrupt, refused):
    # Derived: a block with a corrupt replica, and the captured fsck with its
    # open file's block in a pipeline of one DataNode (under-replicated).
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), CorruptBlocks=corrupt)]}))
    hadoop.on('GET', '/fsck', Reply(200, fsck_open_block_one_replica_less()))
    port.states = ['open', 'closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert bool(result.get('failed')) is refused
    assert len(commands.calls) == (0 if refused else 1)
    assert [r.query['path'] for r in hadoop.requests if r.path == '/fsck'] == ['/', '/tmp/openfile3.txt._COPYING_']


def test_guard_allows_a_corrupt_replica_hdfs_cannot_replace(hadoop, commands, port, run_module, args, clock):
    # Derived: a block of /tmp/big.bin (replication 3) with a live replica on
    # df-worker2 and corrupt ones on both other DataNodes.
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), CorruptBlocks=1)]}))
    hadoop.on('GET', '/fsck', Reply(200, fsck_replica_states('/tmp/big.bin', [
        ('172.18.0.5:9866', 'CORRUPT'), ('172.18.0.4:9866', 'LIVE'), ('172.18.0.3:9866', 'CORRUPT')], 3)))
    port.states = ['open', 'closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is True and len(commands.calls) == 1


def test_guard_refuses_when_another_datanode_is_dead(hadoop, commands, port, run_module, args, clock):
    # df-worker2 is dead at the NameNode; the DataNode to stop is df-worker1.
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNode %s: the in-service DataNodes %s are dead at the '
                                    'NameNode' % (ADDR, W2))
    assert commands.calls == []


def test_guard_counts_the_batch_as_stopping(hadoop, commands, port, run_module, args, clock):
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open', 'closed']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL, batch=[W1, W2]))
    assert result['changed'] is True
    argv, = commands.calls
    assert is_shutdown(argv)


def test_guard_refuses_when_the_namenode_does_not_answer(hadoop, commands, port, run_module, args, clock):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNode %s: the NameNode does not answer (cannot reach '
                                    'GET %s/jmx' % (ADDR, NAMENODE_URL))
    assert commands.calls == []


def test_address_without_port(hadoop, commands, port, run_module, args, clock):
    host = ADDR.rsplit(':', 1)[0]
    result = run_module(hdfs_datanode_shutdown, dict(args, address=host, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'] == 'address must be host:port (dfs.datanode.ipc.address), got %r' % host
    assert commands.calls == [] and hadoop.requests == [] and port.asked == []
