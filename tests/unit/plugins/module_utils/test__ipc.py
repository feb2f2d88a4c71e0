# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct
import threading

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _ipc
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import captured_bytes

# What DFSAdmin -shutdownDatanode ... upgrade sent, and what the DataNode answered.
REQUEST = captured_bytes('ipc_shutdownDatanode_upgrade_request.bin')
RESPONSE = captured_bytes('ipc_shutdownDatanode_upgrade_response.bin')
DENIED = captured_bytes('ipc_shutdownDatanode_denied_response.bin')
MISMATCH = captured_bytes('ipc_version_mismatch_response.bin')


def frames(data):
    """The frames of a byte stream of 4-byte big-endian lengths and payloads."""
    found, pos = [], 0
    while pos < len(data):
        length = struct.unpack('>I', data[pos:pos + 4])[0]
        found.append(data[pos + 4:pos + 4 + length])
        pos += 4 + length
    assert pos == len(data)
    return found


def messages(frame):
    return [_ipc.parse(message) for message in _ipc.split_delimited(frame)]


def without_caller_context(fields):
    # Java's client names itself in callerContext (7): "CLI" for dfsadmin.
    return dict((number, value) for number, value in fields.items() if number != 7)


def test_the_connection_opens_as_java_opens_it():
    assert REQUEST.startswith(_ipc._HEADER)


def test_the_context_and_the_call_are_what_dfsadmin_sends():
    context, call = frames(REQUEST[len(_ipc._HEADER):])
    java_context, java_call = messages(context), messages(call)
    client_id = java_context[0][4]
    assert len(client_id) == 16

    ours_context = messages(_ipc.connection_context('hdfs', _ipc.CLIENT_DATANODE_PROTOCOL, client_id))
    ours_call = messages(_ipc.call_frame(0, client_id, _ipc.CLIENT_DATANODE_PROTOCOL, 'shutdownDatanode',
                                         _ipc.field(1, True)))
    assert [without_caller_context(m) for m in java_context] == ours_context
    assert [without_caller_context(m) for m in java_call] == ours_call
    # Call id -3 for the context and 0 for the call, zigzag-encoded; retry -1 and 0.
    assert (java_context[0][3], java_context[0][5]) == (5, 1)
    assert (java_call[0][3], java_call[0][5]) == (0, 0)
    assert java_context[1][2] == _ipc.field(1, 'hdfs')
    assert java_call[1][1] == b'shutdownDatanode' and java_call[2] == {1: 1}


def test_a_success_returns_the_response_message():
    frame, = frames(RESPONSE)
    assert _ipc.response(frame) == b''


def test_a_refusal_names_the_exception_without_the_stack_trace():
    frame, = frames(DENIED)
    with pytest.raises(_ipc.IpcError) as caught:
        _ipc.response(frame)
    error = caught.value
    assert error.exception == 'org.apache.hadoop.security.AccessControlException'
    assert error.message == 'Permission denied.' and error.fatal is False


def test_a_fatal_answer_is_marked():
    frame, = frames(MISMATCH)
    with pytest.raises(_ipc.IpcError) as caught:
        _ipc.response(frame)
    assert caught.value.fatal is True
    assert caught.value.exception == 'org.apache.hadoop.ipc.RPC$VersionMismatch'
    assert caught.value.message == 'Server IPC version 9 cannot communicate with client version 10'


@pytest.mark.parametrize('value', [0, 1, 127, 128, 300, 2 ** 32, 2 ** 63 - 1])
def test_varints_read_back(value):
    assert _ipc.read_varint(_ipc._varint(value), 0) == (value, len(_ipc._varint(value)))


def test_negative_ints_take_ten_bytes_and_sint_zigzags():
    assert len(_ipc._varint(-1)) == 10
    assert [_ipc._zigzag(v) for v in (0, -1, 1, -3, 2)] == [0, 1, 2, 5, 4]


def test_truncated_input_is_refused():
    with pytest.raises(ValueError):
        _ipc.read_varint(b'\x80', 0)
    with pytest.raises(ValueError):
        _ipc.parse(b'\x0d\x00\x00\x00\x00')  # wire type 5 (32-bit), never sent by these messages


def serve_once(reply):
    """A local TCP server that reads what a call sends and answers `reply`, a byte at a time."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    received = []

    def run():
        conn, dummy = listener.accept()
        data = b''
        while len(frames_so_far(data)) < 2:
            data += conn.recv(4096)
        received.append(data)
        for i in range(len(reply)):
            conn.sendall(reply[i:i + 1])
        conn.close()
        listener.close()

    def frames_so_far(data):
        data, found = data[len(_ipc._HEADER):], []
        while len(data) >= 4 and len(data) >= 4 + struct.unpack('>I', data[:4])[0]:
            length = struct.unpack('>I', data[:4])[0]
            found.append(data[4:4 + length])
            data = data[4 + length:]
        return found

    thread = threading.Thread(target=run)
    thread.start()
    return '127.0.0.1:%d' % listener.getsockname()[1], received, thread


def test_a_call_over_a_real_connection():
    address, received, thread = serve_once(RESPONSE)
    _ipc.shutdown_datanode(address, 'hdfs', timeout=5)
    thread.join(5)
    context, call = frames(received[0][len(_ipc._HEADER):])
    assert messages(call)[1][1] == b'shutdownDatanode' and messages(call)[2] == {1: 1}


def test_a_refusal_over_a_real_connection():
    address, received, thread = serve_once(DENIED)
    with pytest.raises(_ipc.IpcError):
        _ipc.shutdown_datanode(address, 'nobody', timeout=5)
    thread.join(5)


def test_a_server_that_closes_early():
    address, received, thread = serve_once(RESPONSE[:10])
    with pytest.raises(socket.error):
        _ipc.shutdown_datanode(address, 'hdfs', timeout=5)
    thread.join(5)
