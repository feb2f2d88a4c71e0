# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The collection's ZooKeeper clients: the four-letter words that ask a server
about itself (srvr, mntr, ruok over the client port), and a read-only session
that asks whether znodes exist (the failover controllers' and the
ResourceManagers' znodes).

The servers answer only the words on their whitelist
(4lw.commands.whitelist, set by the zookeeper role to what this module
sends).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct

from ansible.module_utils.six.moves.urllib.parse import urlsplit

# Modes in which a server serves clients: in the quorum, or alone by design.
SERVING_MODES = ('leader', 'follower', 'observer', 'standalone')
_NOT_SERVING = 'not currently serving requests'
_NOT_WHITELISTED = 'not in the whitelist'
_MAX_ANSWER = 1 << 20


class ZooKeeperError(Exception):
    """No answer, or an answer that is not what a working server sends."""


def parse_srvr(text):
    """{'version', 'mode', 'zxid', 'node_count', 'connections'} of a srvr answer.

    A server that is not in a quorum yet answers one sentence instead; that
    gives {'mode': None, 'detail': the sentence}."""
    values = {}
    for line in (text or '').splitlines():
        key, sep, value = line.partition(':')
        if sep:
            values[key.strip().lower()] = value.strip()
    if 'mode' not in values:
        sentence = (text or '').strip()
        if _NOT_WHITELISTED in sentence:
            raise ZooKeeperError('the server refuses srvr: %s Add srvr to 4lw.commands.whitelist' % sentence)
        if _NOT_SERVING in sentence:
            return {'mode': None, 'detail': 'not in a quorum yet (%s)' % sentence}
        raise ZooKeeperError('not a srvr answer: %r' % sentence[:200])
    result = {
        'mode': values['mode'],
        'version': values.get('zookeeper version', '').split('-')[0].split(',')[0],
        'zxid': int(values['zxid'], 16) if values.get('zxid', '').startswith('0x') else None,
    }
    for key, name in (('node count', 'node_count'), ('connections', 'connections')):
        if values.get(key, '').isdigit():
            result[name] = int(values[key])
    return result


def parse_mntr(text):
    """{name: value} of a mntr answer (tab-separated), numbers as int or float."""
    values = {}
    for line in (text or '').splitlines():
        key, sep, value = line.partition('\t')
        if not sep:
            continue
        value = value.strip()
        for kind in (int, float):
            try:
                value = kind(value)
                break
            except ValueError:
                pass
        values[key.strip()] = value
    if 'zk_server_state' not in values:
        sentence = (text or '').strip()
        raise ZooKeeperError('the server refuses mntr: %s' % sentence if _NOT_WHITELISTED in sentence
                             else 'not a mntr answer: %r' % sentence[:200])
    return values


class FourLetterClient(object):
    """One server's client port; every word is a new connection, as the
    server closes it after answering."""

    def __init__(self, host, port=2181, timeout=5):
        self.host, self.port, self.timeout = host, int(port), timeout

    @classmethod
    def from_url(cls, url, timeout=5):
        """tcp://host:port (the form daemon_info takes)."""
        parts = urlsplit(url)
        if parts.scheme != 'tcp' or not parts.hostname:
            raise ValueError('a ZooKeeper server is given as tcp://host:port, not %r' % url)
        return cls(parts.hostname, parts.port or 2181, timeout)

    def ask(self, word):
        try:
            conn = socket.create_connection((self.host, self.port), self.timeout)
        except (socket.error, OSError) as e:
            raise ZooKeeperError('cannot connect to %s:%d: %s' % (self.host, self.port, e))
        chunks, size = [], 0
        try:
            conn.settimeout(self.timeout)
            conn.sendall(word.encode('ascii'))
            while size < _MAX_ANSWER:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except (socket.error, OSError) as e:
            raise ZooKeeperError('%s:%d did not answer %s: %s' % (self.host, self.port, word, e))
        finally:
            conn.close()
        return b''.join(chunks).decode('utf-8', 'replace')

    def srvr(self):
        return parse_srvr(self.ask('srvr'))

    def mntr(self):
        return parse_mntr(self.ask('mntr'))


# Operation codes and the error of a missing node in ZooKeeper's client
# protocol (jute records, each framed by a 4-byte big-endian length).
_OP_EXISTS, _OP_CHILDREN, _OP_CLOSE = 3, 8, -11
_ERR_NO_NODE = -101
_SESSION_TIMEOUT_MS = 4000


def _string(value):
    data = value.encode('utf-8')
    return struct.pack('>i', len(data)) + data


class ZNodeClient(object):
    """A short read-only session with the first server of the ensemble that
    accepts one. servers: 'host:port,host:port' or a list of host[:port]."""

    def __init__(self, servers, timeout=5):
        if not isinstance(servers, (list, tuple)):
            servers = [s for s in str(servers).split(',') if s.strip()]
        self.servers = [self._address(s) for s in servers]
        self.timeout = timeout
        self.conn, self.xid = None, 0

    @staticmethod
    def _address(server):
        host, sep, port = server.strip().rpartition(':')
        return (host, int(port)) if sep and port.isdigit() else (server.strip(), 2181)

    def _frame(self, payload):
        self.conn.sendall(struct.pack('>i', len(payload)) + payload)

    def _read(self, size):
        data = b''
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                raise ZooKeeperError('the server closed the session')
            data += chunk
        return data

    def _reply(self):
        return self._read(struct.unpack('>i', self._read(4))[0])

    def __enter__(self):
        seen = []
        for host, port in self.servers:
            try:
                self.conn = socket.create_connection((host, port), self.timeout)
                self.conn.settimeout(self.timeout)
                # protocol version, last zxid seen, timeout, session id, password, read-only allowed
                self._frame(struct.pack('>iqiqi16s?', 0, 0, _SESSION_TIMEOUT_MS, 0, 16, b'', True))
                reply = self._reply()
                if len(reply) < 16 or struct.unpack('>i', reply[4:8])[0] <= 0:
                    raise ZooKeeperError('the server refused a session (not in a quorum)')
                return self
            except (socket.error, OSError, ZooKeeperError, struct.error) as e:
                seen.append('%s:%d: %s' % (host, port, e))
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
        raise ZooKeeperError('no ZooKeeper server accepts a session: %s' % '; '.join(seen))

    def __exit__(self, *exc):
        try:
            self._frame(struct.pack('>ii', self.xid + 1, _OP_CLOSE))
        except (socket.error, OSError):
            pass
        self.conn.close()
        self.conn = None

    def _call(self, op, path):
        self.xid += 1
        try:
            self._frame(struct.pack('>ii', self.xid, op) + _string(path) + struct.pack('>?', False))
            reply = self._reply()
        except (socket.error, OSError) as e:
            raise ZooKeeperError('no answer about %s: %s' % (path, e))
        xid, dummy, err = struct.unpack('>iqi', reply[:16])
        if err == _ERR_NO_NODE:
            return None
        if err != 0:
            raise ZooKeeperError('the server answers error %d about %s' % (err, path))
        return reply[16:]

    def exists(self, path):
        return self._call(_OP_EXISTS, path) is not None

    def children(self, path):
        """The names under path, or None when path does not exist."""
        body = self._call(_OP_CHILDREN, path)
        if body is None:
            return None
        count, offset, names = struct.unpack('>i', body[:4])[0], 4, []
        for dummy in range(max(count, 0)):
            size = struct.unpack('>i', body[offset:offset + 4])[0]
            names.append(body[offset + 4:offset + 4 + size].decode('utf-8'))
            offset += 4 + size
        return sorted(names)


# zoo.cfg keys the zookeeper role sets from its variables and the group.
MANAGED_KEYS = {
    'dataDir': 'zookeeper_data_dir',
    'dataLogDir': 'zookeeper_data_log_dir',
    'clientPort': 'zookeeper_client_port',
}
MAX_MYID = 255


def _myid(value):
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 1 <= number <= MAX_MYID else None


def ensemble_problems(servers):
    """What makes an ensemble impossible, each message naming the host and
    the fix. servers: [{'host', 'myid', 'config'}], config being the zoo.cfg
    settings of the inventory's layers (zookeeper_config*) of that host."""
    problems, by_id = [], {}
    for server in servers:
        host, value = server['host'], server.get('myid')
        if value is None or value == '':
            problems.append('%s: zookeeper_myid is not set; give each ZooKeeper server its own id from 1 to %d (the '
                            'topology inventory sets it from the host\'s id or the number in its name)' % (host, MAX_MYID))
        elif _myid(value) is None:
            problems.append('%s: zookeeper_myid is %r; it must be a whole number from 1 to %d' % (host, value, MAX_MYID))
        else:
            by_id.setdefault(_myid(value), []).append(host)
        for key in sorted(server.get('config') or {}):
            if key in MANAGED_KEYS:
                problems.append('%s: zoo.cfg %s comes from %s; remove it from zookeeper_config*'
                                % (host, key, MANAGED_KEYS[key]))
            elif key.startswith('server.'):
                problems.append('%s: zoo.cfg %s comes from the hosts of the ZooKeeper group and their '
                                'zookeeper_myid; remove it from zookeeper_config*' % (host, key))
    for number in sorted(by_id):
        if len(by_id[number]) > 1:
            problems.append('zookeeper_myid %d is given to %s; each server needs its own'
                            % (number, ' and '.join(sorted(by_id[number]))))
    count = len(servers)
    if count and count % 2 == 0:
        problems.append('%d ZooKeeper servers: an even ensemble survives no more failures than one server less; '
                        'use %d or %d' % (count, count - 1, count + 1))
    return problems
