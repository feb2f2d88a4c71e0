# -*- coding: utf-8 -*-
"""Test doubles driven by the payloads captured from a real Hadoop 3.5.0 cluster.

FakeHadoop stands in for ansible.module_utils.urls.open_url: it answers from
a routing table keyed by (method, URL path, op= or qry= parameter), records
every request, and behaves like open_url on errors (HTTP status >= 400, and a
3xx with follow_redirects='none', raise urllib's HTTPError carrying the body
and headers).

Payloads that the capture does not hold are derived here and marked as such
(see derived_* below); everything else is served byte for byte from
tests/unit/fixtures/captured/.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import copy
import io
import json
import os
import re

from http.client import HTTPMessage
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlsplit

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
        self.routes[(method, path, selector.get('op') or selector.get('qry'))] = list(replies)
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
        if key not in self.routes:  # a route without op/qry takes any query
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
