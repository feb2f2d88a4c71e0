# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket
import struct

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils import _ipc
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_datanode_shutdown
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeClock, Reply, bean, captured_bytes, fsck_open_block_one_replica_less, fsck_replica_states,
    tool_capture)

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
    """The DataNodes' IPC ports as the module's connect sees them: open or
    closed, one state per connection, in order. An open connection on which
    the module sends (its IPC call) gets the next of `replies`, captured
    answers of a DataNode."""

    def __init__(self):
        self.states = []
        self.asked = []
        self.replies = []
        self.sent = []

    def __call__(self, address, timeout):
        self.asked.append(address)
        if self.states.pop(0) == 'closed':
            raise ConnectionRefusedError(111, 'Connection refused')
        return Connection(self)


class Connection(object):

    def __init__(self, port):
        self.port = port
        self.unread = b''

    def sendall(self, data):
        self.port.sent.append(data)
        self.unread = captured_bytes(self.port.replies.pop(0))

    def recv(self, count):
        data, self.unread = self.unread[:count], self.unread[count:]
        return data

    def close(self):
        pass


def shutdown_calls(port):
    """(user, method, forUpgrade) of each IPC call the module sent."""
    calls = []
    for data in port.sent:
        assert data.startswith(b'hrpc\x09\x00\x00')
        frames, pos = [], 7
        while pos < len(data):
            length = struct.unpack('>I', data[pos:pos + 4])[0]
            frames.append(data[pos + 4:pos + 4 + length])
            pos += 4 + length
        context, call = frames
        user = _ipc.parse(_ipc.parse(_ipc.split_delimited(context)[1])[2])[1]
        header, request = _ipc.split_delimited(call)[1:]
        calls.append((user, _ipc.parse(header)[1], _ipc.parse(request)[1]))
    return calls


OK = 'ipc_shutdownDatanode_upgrade_response.bin'
SHUT = (b'hdfs', b'shutdownDatanode', 1)


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
    return {'addresses': [ADDR], 'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
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
    assert result['stopped'] == [] and result['waited'] == 0.0
    assert commands.calls == [] and port.asked == [(DATANODE['DatanodeHostname'], int(DATANODE['RpcPort']))]
    assert clock.sleeps == []


def test_not_running_asks_nothing_more_of_the_namenode(hadoop, commands, port, run_module, args, clock):
    serve(hadoop)
    port.states = ['closed']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is False and result['under_replicated'] == 0
    assert commands.calls == [] and port.sent == []


@pytest.mark.parametrize('interval, polls', [(1, 2), (3, 1), (2, 4)])
def test_shutdown_then_wait_until_it_is_gone(commands, port, run_module, args, clock, interval, polls):
    # Asked, the IPC call, then the port until it closes.
    port.states = ['open', 'open'] + ['open'] * polls + ['closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, poll_interval=interval, admin_user='hdfs'))
    assert result['changed'] is True and not result.get('failed')
    assert result['stopped'] == [ADDR]
    assert clock.sleeps == [interval] * polls
    assert result['waited'] == float(interval * polls)
    assert shutdown_calls(port) == [SHUT] and commands.calls == []
    assert port.states == [] and len(port.asked) == polls + 3


def test_the_call_is_made_as_the_admin_user(commands, port, run_module, args, clock):
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    run_module(hdfs_datanode_shutdown, dict(args, admin_user='hdfsadmin'))
    assert shutdown_calls(port) == [(b'hdfsadmin', b'shutdownDatanode', 1)]


def test_a_batch_is_asked_together_and_waited_for(commands, port, run_module, args, clock):
    other = '%s:%s' % (W2, DATANODE['RpcPort'])
    # Both answer, both are asked; then the first is gone, the second once more.
    port.states = ['open', 'open', 'open', 'open', 'closed', 'open', 'closed', 'closed']
    port.replies = [OK, OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, addresses=[ADDR, other]))
    assert result['changed'] is True and result['stopped'] == [ADDR, other]
    assert shutdown_calls(port) == [SHUT, SHUT]
    assert clock.sleeps == [0.5] and result['waited'] == 0.5


def test_gone_at_the_first_question(commands, port, run_module, args, clock):
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['changed'] is True and result['waited'] == 0.0
    assert port.states == [] and clock.sleeps == []


def test_still_answering_after_the_timeout(commands, port, run_module, args, clock):
    port.states = ['open'] * 12
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, timeout=3, poll_interval=1))
    assert result['failed'] is True
    assert result['msg'] == 'The DataNodes %s still answer 3s after the shutdown request: look at their logs' % ADDR
    assert clock.sleeps == [1, 1, 1]
    # Tried before, the call, then at 0, 1, 2 and 3 s after it.
    assert len(port.asked) == 2 + 4


def test_a_refused_shutdown_fails_the_module(commands, port, run_module, args, clock):
    port.states = ['open', 'open']
    port.replies = ['ipc_shutdownDatanode_denied_response.bin']
    result = run_module(hdfs_datanode_shutdown, dict(args, admin_user='nobody'))
    assert result['failed'] is True
    assert result['msg'] == ('The DataNode %s refused to shut down: org.apache.hadoop.security.AccessControlException: '
                             'Permission denied.' % ADDR)
    assert commands.calls == []


def test_a_datanode_wanting_more_than_simple_authentication_is_asked_by_dfsadmin(
        commands, port, run_module, args, clock):
    # Derived: a DataNode refusing the connection itself. The captured
    # refusal is of the IPC version; one of simple authentication has the
    # same fatal status.
    port.states = ['open', 'open', 'closed']
    port.replies = ['ipc_version_mismatch_response.bin']
    answer(commands, SHUTDOWN)
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['changed'] is True and not result.get('failed')
    argv, = commands.calls
    assert is_shutdown(argv)


def test_dfsadmin_failing_fails_the_module(commands, port, run_module, args, clock):
    # Derived: the DataNode went away between the fatal answer and dfsadmin,
    # so -shutdownDatanode got the connection refused of the "down" capture.
    rc, out, err = tool_capture(DOWN)
    port.states = ['open', 'open']
    port.replies = ['ipc_version_mismatch_response.bin']
    commands.results.append((rc, out, err))
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['failed'] is True and result['rc'] == rc
    assert result['msg'].startswith('dfsadmin -shutdownDatanode %s upgrade failed with exit code %s' % (ADDR, rc))


def test_a_datanode_gone_before_the_call_fails_the_module(commands, port, run_module, args, clock):
    port.states = ['open', 'closed']
    result = run_module(hdfs_datanode_shutdown, args)
    assert result['failed'] is True
    assert result['msg'].startswith('Could not ask the DataNode %s to shut down: ' % ADDR)
    assert 'Connection refused' in result['msg']


def test_check_mode_stops_nothing(hadoop, commands, port, run_module, args, clock):
    serve(hadoop)
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL), check_mode=True)
    assert result['changed'] is True and result['stopped'] == [ADDR]
    assert commands.calls == [] and port.sent == []
    # The guard ran.
    assert hadoop.requests


def test_check_mode_when_not_running(commands, port, run_module, args, clock):
    port.states = ['closed']
    result = run_module(hdfs_datanode_shutdown, args, check_mode=True)
    assert result['changed'] is False and result['stopped'] == []
    assert commands.calls == []


def test_check_mode_does_not_wait_for_the_batch_before(hadoop, commands, port, run_module, args, clock):
    # df-worker2 is dead: a gate would fail on it, but check mode restarted nothing before.
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL, after=[W2], batch=[W1, W2]),
                        check_mode=True)
    assert result['changed'] is True and 'after_waited' not in result and clock.sleeps == []


def test_guard_passes_on_a_healthy_cluster(hadoop, commands, port, run_module, args, clock):
    serve(hadoop)
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is True
    assert result['under_replicated'] == bean(SYSTEM)['UnderReplicatedBlocks']
    assert shutdown_calls(port) == [SHUT]
    assert set(r.path for r in hadoop.requests) == {'/jmx'}


def test_the_batch_before_is_waited_for_first(hadoop, commands, port, run_module, args, clock):
    # df-worker2 restarted before; it is live, and no block is missing.
    serve(hadoop)
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL, after=[W2], baseline=0))
    assert result['changed'] is True and result['after_waited'] == 0.0
    assert shutdown_calls(port) == [SHUT]


def test_a_batch_before_that_is_not_back_stops_nothing(hadoop, commands, port, run_module, args, clock):
    # df-worker1 restarted before, and df-worker2 is dead meanwhile.
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open', 'open', 'closed']
    result = run_module(hdfs_datanode_shutdown, dict(args, addresses=['%s:9867' % W2],
                                                     namenode_url=NAMENODE_URL, after=[W1]))
    assert result['failed'] is True
    assert result['msg'].startswith('Stopping the rolling restart after the batch %s: DataNodes outside the batch '
                                    'are dead: %s' % (W1, W2))
    assert port.asked == [] and port.sent == []


def test_the_batch_before_needs_the_namenode(commands, port, run_module, args, clock):
    result = run_module(hdfs_datanode_shutdown, dict(args, after=[W2]))
    assert result['failed'] is True and 'namenode_url' in result['msg']
    assert port.asked == []


def test_guard_refuses_on_missing_blocks(hadoop, commands, port, run_module, args, clock):
    # Derived: FSNamesystem counting 5 missing blocks.
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), MissingBlocks=5)]}))
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNodes %s: HDFS has 5 missing blocks and 0 blocks with a '
                                    'corrupt replica' % ADDR)
    assert port.sent == []


@pytest.mark.parametrize('corrupt, refused', [(1, False), (2, True)])
def test_guard_allows_corrupt_replicas_of_files_open_for_write(hadoop, commands, port, run_module, args, clock,
                                                               corrupt, refused):
    # Derived: a block with a corrupt replica, and the captured fsck with its
    # open file's block in a pipeline of one DataNode (under-replicated).
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), CorruptBlocks=corrupt)]}))
    hadoop.on('GET', '/fsck', Reply(200, fsck_open_block_one_replica_less()))
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert bool(result.get('failed')) is refused
    assert len(port.sent) == (0 if refused else 1)
    assert [r.query['path'] for r in hadoop.requests if r.path == '/fsck'] == ['/', '/tmp/openfile3.txt._COPYING_']


def test_guard_allows_a_corrupt_replica_hdfs_cannot_replace(hadoop, commands, port, run_module, args, clock):
    # Derived: a block of /tmp/big.bin (replication 3) with a live replica on
    # df-worker2 and corrupt ones on both other DataNodes.
    serve(hadoop, system=Reply.json({'beans': [dict(bean(SYSTEM), CorruptBlocks=1)]}))
    hadoop.on('GET', '/fsck', Reply(200, fsck_replica_states('/tmp/big.bin', [
        ('172.18.0.5:9866', 'CORRUPT'), ('172.18.0.4:9866', 'LIVE'), ('172.18.0.3:9866', 'CORRUPT')], 3)))
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['changed'] is True and len(port.sent) == 1


def test_guard_refuses_when_another_datanode_is_dead(hadoop, commands, port, run_module, args, clock):
    # df-worker2 is dead at the NameNode; the DataNode to stop is df-worker1.
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNodes %s: the in-service DataNodes %s are dead at the '
                                    'NameNode' % (ADDR, W2))
    assert port.sent == []


def test_guard_counts_the_batch_as_stopping(hadoop, commands, port, run_module, args, clock):
    serve(hadoop, info='nn_jmx_NameNodeInfo_dead.json', state='nn_jmx_FSNamesystemState_dead.json')
    port.states = ['open', 'open', 'closed']
    port.replies = [OK]
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL, batch=[W1, W2]))
    assert result['changed'] is True
    assert shutdown_calls(port) == [SHUT]


def test_guard_refuses_when_the_namenode_does_not_answer(hadoop, commands, port, run_module, args, clock):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    port.states = ['open']
    result = run_module(hdfs_datanode_shutdown, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to stop the DataNodes %s: the NameNode does not answer (cannot reach '
                                    'GET %s/jmx' % (ADDR, NAMENODE_URL))
    assert port.sent == []


def test_address_without_port(hadoop, commands, port, run_module, args, clock):
    host = ADDR.rsplit(':', 1)[0]
    # One address as a string, under the option's other name.
    given = dict((key, value) for key, value in args.items() if key != 'addresses')
    result = run_module(hdfs_datanode_shutdown, dict(given, address=host, namenode_url=NAMENODE_URL))
    assert result['failed'] is True
    assert result['msg'] == 'addresses must be host:port (dfs.datanode.ipc.address), got %r' % [host]
    assert commands.calls == [] and hadoop.requests == [] and port.asked == []
