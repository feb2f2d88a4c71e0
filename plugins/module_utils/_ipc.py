# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""One call of Hadoop's IPC protocol (version 9, protocol buffers engine) with
simple authentication, without a JVM.

A rolling restart asks every DataNode to shut down for a quick restart;
`dfsadmin -shutdownDatanode` starts a JVM of about a second for one RPC that
takes milliseconds. The wire format is small and stable since Hadoop 2.2:

- the connection opens with b'hrpc', the version (9), the service class (0)
  and the authentication protocol (0: none, so simple authentication);
- then frames: a 4-byte big-endian length, then messages each preceded by
  their length as a varint. The first frame is the connection context
  (RpcRequestHeaderProto with call id -3, IpcConnectionContextProto: the
  user and the protocol); each call is an RpcRequestHeaderProto, a
  RequestHeaderProto (method, protocol, version) and the request;
- the answer is a frame with an RpcResponseHeaderProto (status, and on
  failure the exception's class and message) and the response.

A server that requires Kerberos (SASL) refuses the connection: the caller
then needs Hadoop's own tools, which authenticate with the host's ticket.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket
import struct

from ansible.module_utils.common.text.converters import to_bytes, to_text

CLIENT_DATANODE_PROTOCOL = 'org.apache.hadoop.hdfs.protocol.ClientDatanodeProtocol'

_HEADER = b'hrpc' + struct.pack('>BBB', 9, 0, 0)
_CONTEXT_CALL_ID = -3
_RPC_PROTOCOL_BUFFER = 2
_RPC_FINAL_PACKET = 0
_SUCCESS, _ERROR, _FATAL = 0, 1, 2
# Protocol buffers wire types.
_VARINT, _BYTES = 0, 2


class IpcError(Exception):
    """A call the server answered with an error: its exception class and
    message; `fatal` when the server also closed the connection (for example,
    refused simple authentication)."""

    def __init__(self, exception, message, fatal=False):
        super(IpcError, self).__init__('%s: %s' % (exception, message))
        self.exception = exception
        self.message = message
        self.fatal = fatal


def _varint(value):
    value &= (1 << 64) - 1  # negative int32/int64 fields take ten bytes
    out = bytearray()
    while True:
        low = value & 0x7f
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _zigzag(value):
    return (value << 1) ^ (value >> 63)


def field(number, value):
    """One protocol buffers field: an int (varint; zigzag it first for sint)
    or bytes/str (length-delimited, for strings and nested messages)."""
    if isinstance(value, bool) or isinstance(value, int):
        return _varint(number << 3 | _VARINT) + _varint(int(value))
    data = to_bytes(value)
    return _varint(number << 3 | _BYTES) + _varint(len(data)) + data


def delimited(message):
    return _varint(len(message)) + message


def read_varint(data, pos):
    """(value, position after it)."""
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError('truncated varint')
        byte = data[pos] if isinstance(data[pos], int) else ord(data[pos])
        pos += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def parse(message):
    """{field number: value} of a protocol buffers message whose fields are
    varints or length-delimited (the last value when a field repeats)."""
    fields, pos = {}, 0
    while pos < len(message):
        key, pos = read_varint(message, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            fields[number], pos = read_varint(message, pos)
        elif wire == _BYTES:
            length, pos = read_varint(message, pos)
            fields[number], pos = message[pos:pos + length], pos + length
        else:
            raise ValueError('unexpected wire type %s in field %s' % (wire, number))
    return fields


def split_delimited(frame):
    """The length-delimited messages of a frame."""
    messages, pos = [], 0
    while pos < len(frame):
        length, pos = read_varint(frame, pos)
        messages.append(frame[pos:pos + length])
        pos += length
    return messages


def rpc_header(call_id, client_id, retry):
    """RpcRequestHeaderProto: rpcKind 1, rpcOp 2, callId 3 (sint32), clientId 4, retryCount 5 (sint32)."""
    return (field(1, _RPC_PROTOCOL_BUFFER) + field(2, _RPC_FINAL_PACKET) + field(3, _zigzag(call_id))
            + field(4, client_id) + field(5, _zigzag(retry)))


def connection_context(user, protocol, client_id):
    """The first frame: IpcConnectionContextProto with userInfo 2 (effectiveUser 1) and protocol 3."""
    context = field(2, field(1, user)) + field(3, protocol)
    return delimited(rpc_header(_CONTEXT_CALL_ID, client_id, -1)) + delimited(context)


def call_frame(call_id, client_id, protocol, method, request, version=1):
    """A call: RequestHeaderProto with methodName 1, declaringClassProtocolName 2 and clientProtocolVersion 3."""
    header = field(1, method) + field(2, protocol) + field(3, version)
    return delimited(rpc_header(call_id, client_id, 0)) + delimited(header) + delimited(request)


def response(frame):
    """The response message of an answer frame, or IpcError. RpcResponseHeaderProto: status 2,
    exceptionClassName 4, errorMsg 5."""
    messages = split_delimited(frame)
    header = parse(messages[0])
    status = header.get(2, _SUCCESS)
    if status != _SUCCESS:
        # The message is followed by the server's stack trace.
        message = to_text(header.get(5, b'')).strip().split('\n')[0]
        raise IpcError(to_text(header.get(4, b'unknown exception')), message, fatal=status == _FATAL)
    return messages[1] if len(messages) > 1 else b''


def _framed(payload):
    return struct.pack('>I', len(payload)) + payload


def _read_exactly(sock, count):
    data = b''
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise socket.error('the server closed the connection')
        data += chunk
    return data


def call(address, protocol, method, request, user, timeout=10, connect=socket.create_connection):
    """Call `method` of `protocol` on the server at host:port as `user` (simple authentication);
    the response message (bytes). Raises IpcError when the server answers with an error,
    socket.error when it cannot be reached."""
    host, port = address.rsplit(':', 1)
    client_id = os.urandom(16)
    sock = connect((host, int(port)), timeout)
    try:
        sock.sendall(_HEADER + _framed(connection_context(user, protocol, client_id))
                     + _framed(call_frame(0, client_id, protocol, method, request)))
        length = struct.unpack('>I', _read_exactly(sock, 4))[0]
        return response(_read_exactly(sock, length))
    finally:
        sock.close()


def shutdown_datanode(address, user, upgrade=True, timeout=10, connect=socket.create_connection):
    """ClientDatanodeProtocol.shutdownDatanode (what `dfsadmin -shutdownDatanode <address> [upgrade]`
    calls). ShutdownDatanodeRequestProto: forUpgrade 1. The DataNode answers before it stops."""
    call(address, CLIENT_DATANODE_PROTOCOL, 'shutdownDatanode', field(1, bool(upgrade)), user, timeout, connect)
