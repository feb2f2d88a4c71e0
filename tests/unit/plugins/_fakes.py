# -*- coding: utf-8 -*-
"""Test doubles driven by the payloads captured from a real Hadoop 3.5.0 cluster.

FakeHadoop stands in for ansible.module_utils.urls.open_url: it answers from
a routing table keyed by (method, URL path, op= or qry= parameter), records
every request, and behaves like open_url on errors (HTTP status >= 400, and a
3xx with follow_redirects='none', raise urllib's HTTPError carrying the body
and headers). A 3xx that open_url follows is a FollowedRedirect.

Payloads that the capture does not hold are derived here and marked as such
(see derived_* below); everything else is served byte for byte from
tests/unit/fixtures/captured/.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import collections
import copy
import hashlib
import io
import json
import os
import re
import socket
import struct
import threading

from http.client import HTTPMessage
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urljoin, urlsplit

CAPTURED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures', 'captured')

NAMENODE_URL = 'http://nn1.example.com:9870'
RESOURCEMANAGER_URL = 'http://rm1.example.com:8088'
BEAN = 'Hadoop:service=NameNode,name=%s'


def captured_bytes(name):
    with open(os.path.join(CAPTURED, name), 'rb') as handle:
        return handle.read()


def captured_json(name):
    return json.loads(captured_bytes(name).decode('utf-8'))


def bean(name):
    """The one bean of a captured /jmx?qry=... answer."""
    return captured_json(name)['beans'][0]


def file_status(name):
    """A deep copy of the FileStatus of a captured GETFILESTATUS answer, free to mutate."""
    return copy.deepcopy(captured_json(name)['FileStatus'])


def tool_capture(name):
    """(rc, stdout, stderr) of a captured admin command (.txt)."""
    text = captured_bytes(name).decode('utf-8')
    head, rest = text.split('\n--- stdout ---\n', 1)
    stdout, stderr = rest.split('--- stderr ---\n', 1)
    return int(head.strip().split('=', 1)[1]), stdout, stderr


def version_file(name):
    """A captured VERSION file as a dict (Java properties)."""
    props = {}
    for line in captured_bytes(name).decode('utf-8').splitlines():
        if line and not line.startswith('#'):
            key, value = line.split('=', 1)
            props[key] = value
    return props


class Reply(object):
    def __init__(self, status=200, body=b'', headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode('utf-8')
        self.headers = headers or {}

    @classmethod
    def captured(cls, name, status=200):
        """The captured body, byte for byte."""
        return cls(status, captured_bytes(name), {'Content-Type': 'application/json'})

    @classmethod
    def json(cls, data, status=200, headers=None):
        """A body derived in the test (mutated captured dict or a derived payload)."""
        hdrs = {'Content-Type': 'application/json'}
        hdrs.update(headers or {})
        return cls(status, json.dumps(data), hdrs)

    def _message(self):
        msg = HTTPMessage()
        for key, value in self.headers.items():
            msg[key] = value
        return msg

    def serve(self, url, follow_redirects):
        if self.status >= 400:
            raise HTTPError(url, self.status, 'error', self._message(), io.BytesIO(self.body))
        if 300 <= self.status < 400:
            if 'Location' not in self.headers:  # urllib cannot redirect: a plain HTTPError
                raise HTTPError(url, self.status, 'redirect', self._message(), io.BytesIO(self.body))
            # open_url's redirect handler raises for follow_redirects='none';
            # the modules never ask the fake to follow one.
            assert follow_redirects in ('none', 'no', False), 'the fake does not follow redirects'
            raise HTTPError(self.headers['Location'], self.status, 'redirect', self._message(),
                            io.BytesIO(self.body))
        return FakeResponse(self.status, self.body, self._message())


class FakeResponse(object):
    def __init__(self, status, body, headers):
        self.status, self._body, self.headers = status, body, headers

    def getcode(self):
        return self.status

    def read(self):
        return self._body


Request = collections.namedtuple(
    'Request', 'method url netloc path query data headers follow_redirects options')


class FakeHadoop(object):
    """open_url replacement: routes, records, and replays reply sequences.

    on(method, path, *replies, op=..., qry=...) registers replies for a route
    (without op/qry it matches any query); each request consumes one reply,
    the last one repeats. A reply may be an exception instance (URLError,
    ...), which is raised.
    """

    def __init__(self):
        self.routes = {}
        self.requests = []

    def on(self, method, path, *replies, **selector):
        """selector: op or qry (the query), netloc (only requests to that host:port)."""
        key = (method, path, selector.get('op') or selector.get('qry'))
        self.routes[key + (selector['netloc'],) if selector.get('netloc') else key] = list(replies)
        return self

    def on_beans(self, **files):
        """Route /jmx?qry=Hadoop:service=NameNode,name=<key> to captured files (or reply lists)."""
        for name, replies in files.items():
            replies = replies if isinstance(replies, list) else [replies]
            self.on('GET', '/jmx', *[Reply.captured(r) if isinstance(r, str) else r for r in replies],
                    qry=BEAN % name)
        return self

    def __call__(self, url, data=None, headers=None, method=None, follow_redirects='urllib2', **options):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if hasattr(data, 'read'):
            data = data.read()
        method = method or ('POST' if data else 'GET')
        self.requests.append(Request(method, url, parts.netloc, parts.path, query, data,
                                     dict(headers or {}), follow_redirects, options))
        key = (method, parts.path, query.get('op') or query.get('qry'))
        # The most specific route first: this host, then any host; a route
        # without op/qry takes any query.
        for candidate in (key + (parts.netloc,), (method, parts.path, None, parts.netloc), key):
            if candidate in self.routes:
                key = candidate
                break
        else:
            key = (method, parts.path, None)
        assert key in self.routes, 'unexpected request %s %s' % (method, url)
        replies = self.routes[key]
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, BaseException):
            raise reply
        return reply.serve(url, follow_redirects)

    def calls(self, method=None):
        """(method, op) of every request, or of those with the given method."""
        return [(r.method, r.query.get('op')) for r in self.requests if method in (None, r.method)]


# ---------------------------------------------------------------------------
# Derived payloads: the capture has no write operation. Shapes follow the
# WebHDFS REST API documentation of Hadoop 3.5.0, values come from the capture.
# ---------------------------------------------------------------------------

def derived_boolean(value=True):
    """MKDIRS and DELETE answer {"boolean": true}."""
    return Reply.json({'boolean': value})


def derived_empty_ok():
    """SETOWNER and SETPERMISSION answer 200 with an empty body."""
    return Reply(200, b'')


def derived_create_redirect(path, overwrite='true'):
    """Step one of CREATE: the NameNode answers 307 with the DataNode URL.

    The DataNode address (infoAddr) and NameNode RPC address come from the
    captured NameNodeInfo/NameNodeStatus beans.
    """
    live = json.loads(bean('nn_jmx_NameNodeInfo.json')['LiveNodes'])
    datanode = list(live.values())[0]['infoAddr']
    rpc = bean('nn_jmx_NameNodeStatus.json')['HostAndPort']
    location = ('http://%s/webhdfs/v1%s?op=CREATE&user.name=root&namenoderpcaddress=%s'
                '&createflag=&createparent=true&overwrite=%s' % (datanode, path, rpc, overwrite))
    return Reply(307, b'', {'Location': location, 'Content-Length': '0'})


def derived_create_done(path):
    """Step two of CREATE: the DataNode answers 201 Created."""
    location = 'hdfs://%s%s' % (bean('nn_jmx_NameNodeStatus.json')['HostAndPort'], path)
    return Reply(201, b'', {'Location': location, 'Content-Length': '0'})


def not_found():
    """The captured 404 of GETFILESTATUS on a missing path."""
    return Reply.captured('webhdfs_GETFILESTATUS_missing_404.json', status=404)


class FakeClock(object):
    """time.time/time.sleep pair where sleeping only advances the clock."""

    def __init__(self, now=1795803810.0):
        self.now = now
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class FakeCommands(object):
    """Records AnsibleModule.run_command calls and answers captured results in order.

    effect(module, argv) runs before answering, e.g. to write what the real
    command would write.
    """

    def __init__(self):
        self.results = []
        self.calls = []
        self.effect = None

    def __call__(self, module, args, **kwargs):
        self.calls.append(list(args))
        assert self.results, 'unexpected command: %s' % ' '.join(args)
        if self.effect:
            self.effect(module, args)
        return self.results.pop(0)


def at_warn_level(stderr):
    """Derive from an INFO,console capture what the same run prints with
    -Dhadoop.root.logger=WARN,console (the level _layout.admin_argv sets):
    INFO records and the STARTUP_MSG/SHUTDOWN_MSG banners (INFO records too)
    go; WARN/ERROR records and the tool's own System.err lines stay."""
    kept, banner = [], False
    for line in stderr.splitlines(True):
        if line.startswith('/****'):
            banner = True
        elif banner:
            banner = not line.startswith('****')
        elif not re.match(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO ', line):
            kept.append(line)
    return ''.join(kept)


# ---------------------------------------------------------------------------
# Derived payloads for checksums and extended attributes: the capture holds no
# GETFILECHECKSUM, GETXATTRS or SETXATTR answer. The shapes follow the WebHDFS
# REST API documentation; the error bodies are the captured RemoteException
# shape with the exception and message the NameNode's code raises.
# ---------------------------------------------------------------------------

XATTR_MISSING_MSG = 'At least one of the attributes provided was not found.'
XATTRS_DISABLED_MSG = ('The XAttr operation has been rejected.  Support for XAttrs has been disabled by '
                       'setting dfs.namenode.xattrs.enabled to false.')


def derived_remote_exception(status, message, exception='IOException', java_class='java.io.IOException'):
    """An error answer: the captured RemoteException shape with another exception."""
    return Reply.json({'RemoteException': {'exception': exception, 'javaClassName': java_class,
                                           'message': message}}, status)


def derived_checksum(data):
    """GETFILECHECKSUM of content data, in the documented shape.

    Not HDFS's MD5-of-MD5-of-CRC32C: an MD5 of the MD5 stands in for it so
    that the value depends on the content and nothing else. bytes is
    bytesPerCRC (4 bytes), crcPerBlock (8 bytes) and the MD5, as in HDFS.
    """
    digest = hashlib.md5(hashlib.md5(data).digest()).hexdigest()
    return {'algorithm': 'MD5-of-0MD5-of-512CRC32C', 'bytes': '00000200' + '0' * 16 + digest, 'length': 28}


def derived_xattrs(name, value):
    """GETXATTRS&encoding=text of one attribute: the value comes back in double quotes."""
    return Reply.json({'XAttrs': [{'name': name, 'value': '"%s"' % value}]})


def derived_xattr_missing():
    """GETXATTRS of an attribute the file does not have: 403 with an IOException."""
    return derived_remote_exception(403, XATTR_MISSING_MSG)


def derived_xattrs_disabled():
    """Any XAttr operation with dfs.namenode.xattrs.enabled=false: 403 with an IOException."""
    return derived_remote_exception(403, XATTRS_DISABLED_MSG)


def decode_xattr_value(value):
    """The bytes SETXATTR stores for xattr.value, as the NameNode's XAttrCodec reads it:
    "text" in double quotes, 0x<hex>, 0s<base64>, else the text as is."""
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1].encode('utf-8')
    if value[:2].lower() == '0x':
        return bytes(bytearray.fromhex(value[2:]))
    if value[:2].lower() == '0s':
        return base64.b64decode(value[2:])
    return value.encode('utf-8')


class Computed(object):
    """A reply decided when the request comes: answer(request) gives a Reply.

    Works as a reply of FakeHadoop.on(), which records the request before
    serving it.
    """

    def __init__(self, hadoop, answer):
        self.hadoop, self.answer = hadoop, answer

    def serve(self, url, follow_redirects):
        reply = self.answer(self.hadoop.requests[-1])
        if isinstance(reply, BaseException):
            raise reply
        return reply.serve(url, follow_redirects)


class FollowedRedirect(object):
    """A 3xx reply (with a Location header) that open_url follows: any
    request with follow_redirects 'all', a GET or HEAD with 'safe' (the
    HttpClient's) or 'urllib2'. The request to Location (same method, body
    and headers, as for a 307) is routed and recorded like any other; a
    request open_url does not redirect gets the 3xx (HTTPError)."""

    def __init__(self, hadoop, reply):
        self.hadoop, self.reply = hadoop, reply

    def serve(self, url, follow_redirects):
        request = self.hadoop.requests[-1]
        if follow_redirects in ('all', 'yes', True) or (
                follow_redirects in ('safe', 'urllib2', 'urllib') and request.method in ('GET', 'HEAD')):
            return self.hadoop(urljoin(url, self.reply.headers['Location']), data=request.data, method=request.method,
                               headers=request.headers, follow_redirects=follow_redirects, **request.options)
        return self.reply.serve(url, follow_redirects)


class FakeHdfsFile(object):
    """One HDFS file behind the fake WebHDFS, with content and extended attributes.

    install() routes the path's GETFILESTATUS, CREATE (NameNode 307, then the
    DataNode's 201, which stores the bytes), GETFILECHECKSUM (derived_checksum
    of the stored bytes), GETXATTRS, SETXATTR, SETOWNER and SETPERMISSION to
    this state. The FileStatus is the captured one with length, owner, group,
    permission and fileId following the state. CREATE with overwrite makes a
    new inode: the attributes are gone, as in HDFS. content None is a missing
    file; xattrs_enabled=False answers every XAttr operation like a NameNode
    with dfs.namenode.xattrs.enabled=false.
    """

    def __init__(self, path, content=None, xattrs=None, xattrs_enabled=True,
                 status_fixture='webhdfs_GETFILESTATUS_file.json'):
        self.path = path
        self.content = content
        self.xattrs = dict(xattrs or {})
        self.xattrs_enabled = xattrs_enabled
        self.base = file_status(status_fixture)
        self.uploads = []

    def status(self):
        if self.content is None:
            return None
        return dict(self.base, length=len(self.content))

    def install(self, hadoop):
        self.hadoop = hadoop
        web = '/webhdfs/v1' + self.path
        for method, op in (('GET', 'GETFILESTATUS'), ('PUT', 'CREATE'), ('GET', 'GETFILECHECKSUM'),
                           ('GET', 'GETXATTRS'), ('PUT', 'SETXATTR'), ('PUT', 'SETOWNER'),
                           ('PUT', 'SETPERMISSION')):
            hadoop.on(method, web, Computed(hadoop, getattr(self, '_' + op.lower())), op=op)
        return self

    def _getfilestatus(self, request):
        status = self.status()
        return not_found() if status is None else Reply.json({'FileStatus': status})

    def _create(self, request):
        if request.netloc == urlsplit(NAMENODE_URL).netloc:
            return derived_create_redirect(self.path, request.query.get('overwrite', 'false'))
        if self.content is not None and request.query.get('overwrite') != 'true':
            return derived_remote_exception(403, 'File already exists: %s' % self.path,
                                            'FileAlreadyExistsException',
                                            'org.apache.hadoop.fs.FileAlreadyExistsException')
        first = [r for r in self.hadoop.requests
                 if r.query.get('op') == 'CREATE' and r.netloc == urlsplit(NAMENODE_URL).netloc][-1]
        self.content = request.data
        self.uploads.append(request.data)
        self.xattrs = {}
        self.base = dict(self.base, fileId=self.base['fileId'] + 1, owner=first.query.get('user.name', 'dr.who'),
                         permission=first.query.get('permission', '644'))
        return derived_create_done(self.path)

    def _getfilechecksum(self, request):
        if self.content is None:
            return not_found()
        return Reply.json({'FileChecksum': derived_checksum(self.content)})

    def _getxattrs(self, request):
        if not self.xattrs_enabled:
            return derived_xattrs_disabled()
        name = request.query.get('xattr.name')
        if name not in self.xattrs:
            return derived_xattr_missing()
        assert request.query.get('encoding') == 'text', 'the fake only encodes text'
        return derived_xattrs(name, self.xattrs[name].decode('utf-8'))

    def _setxattr(self, request):
        if not self.xattrs_enabled:
            return derived_xattrs_disabled()
        name, flag = request.query['xattr.name'], request.query.get('flag', '')
        if flag == 'CREATE' and name in self.xattrs:
            return derived_remote_exception(403, 'XAttr: %s already exists. The REPLACE flag must be specified.'
                                            % name)
        if flag == 'REPLACE' and name not in self.xattrs:
            return derived_remote_exception(403, 'XAttr: %s does not exist. The CREATE flag must be specified.'
                                            % name)
        self.xattrs[name] = decode_xattr_value(request.query.get('xattr.value', ''))
        return derived_empty_ok()

    def _setowner(self, request):
        for key in ('owner', 'group'):
            if request.query.get(key):
                self.base[key] = request.query[key]
        return derived_empty_ok()

    def _setpermission(self, request):
        self.base['permission'] = request.query['permission']
        return derived_empty_ok()


class ZooKeeperReplay(object):
    """A server on 127.0.0.1 that reads one word per connection and answers
    with the captured bytes for it, then closes, as ZooKeeper does."""

    def __init__(self, answers):
        self.answers, self.words = answers, []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve)
        self.thread.daemon = True
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            word = conn.recv(4).decode('ascii')
            self.words.append(word)
            conn.sendall(captured_bytes('zookeeper/' + self.answers[word]))
            conn.close()

    def close(self):
        self.sock.close()


class ZooKeeperSessionReplay(object):
    """A server on 127.0.0.1 that answers each request frame of its client
    sessions, one after the other, with the next captured frame (connect,
    then requests), as the real server answered the same requests; it
    records what it received."""

    def __init__(self, frames):
        self.frames, self.received = [captured_bytes('zookeeper/' + name) for name in frames], []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve)
        self.thread.daemon = True
        self.thread.start()

    def _frame(self, conn):
        head = conn.recv(4)
        if len(head) < 4:
            return None
        size, body = struct.unpack('>i', head)[0], b''
        while len(body) < size:
            chunk = conn.recv(size - len(body))
            if not chunk:
                return None
            body += chunk
        return body

    def serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            while True:
                body = self._frame(conn)
                if body is None:
                    break
                self.received.append(body)
                closing = len(body) == 8 and struct.unpack('>i', body[4:])[0] == -11
                if self.frames and not closing:
                    conn.sendall(self.frames.pop(0))
            conn.close()

    def close(self):
        self.sock.close()


# The fsck of / on the three-worker sandbox (every file replication 2, one
# rack, one file open for write).
FSCK_OPEN = 'fsck_openforwrite_uc_on_decommissioned.txt'


def fsck_open_block_one_replica_less():
    """Derived: FSCK_OPEN with the open file's under-construction block in a
    pipeline of one DataNode (the other one restarted), as bytes."""
    text = captured_bytes(FSCK_OPEN).decode('utf-8')
    return re.sub(r'(Expected_repl=)2  \[(DatanodeInfoWithStorage\[[^\]]*\]), DatanodeInfoWithStorage\[[^\]]*\]\]',
                  r'\g<1>1  [\2]', text).encode('utf-8')


def fsck_replica_states(path, states, replication=None):
    """Derived: FSCK_OPEN as fsck prints it with replicadetails=1, every
    replica followed by its state - (LIVE) unless the first block of `path`
    lists other ones: `states` is a list of (transfer address, state) for it,
    the storages taken from the capture's. `replication` changes the file's
    factor. As bytes."""
    text = captured_bytes(FSCK_OPEN).decode('utf-8')
    storages = dict(re.findall(r'DatanodeInfoWithStorage\[([^,\]]+)(,[^\]]*)\]', text))
    text = re.sub(r'(DatanodeInfoWithStorage\[[^\]]*\])', r'\1(LIVE)', text)
    lines = text.splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith(path + ' ')][0]
    if replication is not None:
        lines[at] = re.sub(r'replication=\d+', 'replication=%d' % replication, lines[at])
    head = re.match(r'^(.*?Live_repl=)\d+  \[', lines[at + 1]).group(1)
    live = sum(1 for dummy, state in states if state == 'LIVE')
    replicas = ['DatanodeInfoWithStorage[%s%s](%s)' % (address, storages[address], state) for address, state in states]
    lines[at + 1] = '%s%d  [%s]' % (head, live, ', '.join(replicas))
    return ('\n'.join(lines) + '\n').encode('utf-8')
