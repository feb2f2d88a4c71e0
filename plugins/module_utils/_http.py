# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""HTTP access to Hadoop daemons (JMX, ResourceManager REST, WebHDFS).

Everything goes through ansible.module_utils.urls.Request so TLS options and
SPNEGO (use_gssapi) work the same for every module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import ssl

from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import urlencode
from ansible.module_utils.urls import Request, make_context
from ansible_collections.datafleet.hadoop.plugins.module_utils import _secure

_HTTP_ARGUMENT_SPEC = dict(
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    client_cert=dict(type='path'),
    client_key=dict(type='path', no_log=False),
    use_gssapi=dict(type='bool', default=False),
    timeout=dict(type='int', default=30),
    conf_dir=dict(type='path', default='/etc/hadoop/conf'),
)
# The options HttpClient takes (conf_dir is read by _secure).
_CLIENT_OPTIONS = ('validate_certs', 'ca_path', 'client_cert', 'client_key', 'use_gssapi', 'timeout')


def http_argument_spec(namenode=False, webhdfs=False):
    """A fresh copy of the connection options shared by every module, with
    the NameNode URL and the WebHDFS user when asked."""
    spec = copy.deepcopy(_HTTP_ARGUMENT_SPEC)
    if namenode:
        spec['namenode_url'] = dict(type='str', default='http://localhost:9870')
    if webhdfs:
        spec.update(owner=dict(type='str'), group=dict(type='str'), mode=dict(type='raw'),
                    user=dict(type='str', default='hdfs'))
    return spec


# SSL contexts, made once per module run: ansible's open_url makes one per
# request, loading the system's certificate store each time, which costs a
# module tens of milliseconds of CPU per request and a module that polls a
# daemon twice a second a good part of a CPU.
_CONTEXTS = {}


def _context(url, validate_certs=True, ca_path=None, client_cert=None, client_key=None):
    """The SSL context of a request to url. A plain HTTP URL gets one that trusts no certificate: it is not used,
    and a redirect to HTTPS fails its verification instead of going unchecked."""
    key = (validate_certs, ca_path, client_cert, client_key) if url.lower().startswith('https:') else None
    if key not in _CONTEXTS:
        _CONTEXTS[key] = (ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT) if key is None else
                          make_context(cafile=ca_path, validate_certs=validate_certs, client_cert=client_cert,
                                       client_key=client_key))
    return _CONTEXTS[key]


def open_url(url, method=None, data=None, validate_certs=True, ca_path=None, client_cert=None, client_key=None,
             **options):
    """ansible.module_utils.urls.open_url, with the SSL context made once per run (_context)."""
    return Request().open(method or ('POST' if data else 'GET'), url, data=data, validate_certs=validate_certs,
                          ca_path=ca_path, client_cert=client_cert, client_key=client_key,
                          context=_context(url, validate_certs, ca_path, client_cert, client_key), **options)


class HadoopHttpError(Exception):
    """A request failed; the message says which URL and why."""

    def __init__(self, message, status=None, body=None):
        super(HadoopHttpError, self).__init__(message)
        self.status = status
        self.body = body


class Response(object):
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    def json(self):
        return json.loads(to_text(self.body)) if self.body else {}


class HttpClient(object):
    """Small client bound to one daemon's base URL."""

    def __init__(self, base_url, validate_certs=True, ca_path=None, client_cert=None,
                 client_key=None, use_gssapi=False, timeout=30, opener=None):
        self.base_url = base_url.rstrip('/')
        self.options = dict(
            validate_certs=validate_certs, ca_path=ca_path, client_cert=client_cert,
            client_key=client_key, use_gssapi=use_gssapi, timeout=timeout,
        )
        # Tests inject a function with open_url's signature.
        self._open = opener or open_url

    @classmethod
    def from_params(cls, base_url, params, service='hdfs'):
        """A client of base_url with the module's options, secured as the host's configuration says
        (_secure: SPNEGO with a ticket of the host's service keytab for service, the HTTPS address)."""
        security, options = _client_options(params, service)
        return cls(security.url(base_url), **options)

    def url(self, path, query=None):
        url = path if path.startswith(('http://', 'https://')) else self.base_url + path
        if query:
            url += ('&' if '?' in url else '?') + urlencode(sorted(query.items()))
        return url

    def request(self, method, path, query=None, data=None, headers=None,
                follow_redirects='safe', expected=(200,)):
        url = self.url(path, query)
        try:
            resp = self._open(
                url, method=method, data=data, headers=headers or {},
                follow_redirects=follow_redirects, **self.options)
            status, body, hdrs = resp.getcode(), resp.read(), dict(resp.headers)
        except HTTPError as e:
            status, hdrs = e.code, dict(e.headers or {})
            try:
                body = e.read()
            except Exception:  # pylint: disable=broad-except
                body = b''
        except (URLError, OSError, ValueError) as e:
            raise HadoopHttpError('cannot reach %s %s: %s' % (method, url, to_native(getattr(e, 'reason', e))))
        if status not in expected:
            raise HadoopHttpError(
                '%s %s answered HTTP %s: %s' % (method, url, status, _short(body)), status=status, body=body)
        return Response(status, body, hdrs)

    def get_json(self, path, query=None):
        resp = self.request('GET', path, query=query)
        try:
            return resp.json()
        except ValueError:
            raise HadoopHttpError('GET %s did not answer JSON: %s' % (self.url(path, query), _short(resp.body)))


def _client_options(params, service):
    """(the host's _secure.ClientSecurity, HttpClient's options from params and from it)."""
    try:
        security, secured = _secure.for_params(params, service)
    except _secure.SecurityError as e:
        raise HadoopHttpError(str(e))
    options = dict((key, params.get(key)) for key in _CLIENT_OPTIONS)
    options.update((key, value) for key, value in secured.items() if not (key == 'ca_path' and options['ca_path']))
    if options['use_gssapi'] is None:
        options['use_gssapi'] = False
    return security, options


def _short(body, limit=300):
    text = to_text(body or b'', errors='replace').strip()
    return text if len(text) <= limit else text[:limit] + '...'


def namenode_urls(value):
    """The master URLs of a namenode_url or resourcemanager_url option: one, or
    several separated by commas (HA)."""
    return [url.strip().rstrip('/') for url in (value or '').split(',') if url.strip()]


def _standby_or_gone(error):
    """A request the active master would have answered: it is down, or a
    standby now (WebHDFS answers StandbyException)."""
    return error.status is None or b'StandbyException' in (error.body or b'')


class ActiveClient(HttpClient):
    """The active master among several (HA). A request that finds the master
    gone or standby looks for the active again once, so a failover between two
    requests is followed; refresh() forgets the active (long waits call it per
    poll). Subclasses say how a master tells it is the active one."""

    role = 'master'

    def __init__(self, urls, **options):
        super(ActiveClient, self).__init__(urls[0], **options)
        opener = options.pop('opener', None)
        self.clients = [HttpClient(url, opener=opener, **options) for url in urls]
        self._active = None

    @classmethod
    def from_urls(cls, urls, params, service='hdfs'):
        security, options = _client_options(params, service)
        return cls([security.url(url) for url in urls], **options)

    def is_active(self, client):
        """Whether client's master is the active one; HadoopHttpError when it
        does not answer."""
        raise NotImplementedError

    def active(self):
        if self._active is None:
            seen = []
            for client in self.clients:
                try:
                    if self.is_active(client):
                        self._active = client
                        break
                    seen.append('%s is not active' % client.base_url)
                except HadoopHttpError as e:
                    seen.append('%s %s' % (client.base_url, 'is not active' if e.status else 'does not answer'))
            else:
                raise HadoopHttpError('no active %s: %s' % (self.role, '; '.join(seen)))
        self.base_url = self._active.base_url
        return self._active

    def refresh(self):
        self._active = None

    def url(self, path, query=None):
        return self.active().url(path, query)

    def request(self, method, path, query=None, data=None, headers=None, follow_redirects='safe', expected=(200,)):
        for attempt in (1, 2):
            client = self.active()
            try:
                return client.request(method, path, query=query, data=data, headers=headers,
                                      follow_redirects=follow_redirects, expected=expected)
            except HadoopHttpError as e:
                if attempt == 2 or not _standby_or_gone(e):
                    raise
                self._active = None


class ActiveNameNodeClient(ActiveClient):
    """GET /isActive answers 200 on the active NameNode only."""

    role = 'NameNode'

    def is_active(self, client):
        try:
            client.request('GET', '/isActive')
        except HadoopHttpError as e:
            if e.status:
                return False
            raise
        return True


class ActiveResourceManagerClient(ActiveClient):
    """A standby ResourceManager answers /ws/v1/cluster/info itself (other REST
    paths redirect to the active one) with haState STANDBY."""

    role = 'ResourceManager'

    def is_active(self, client):
        info = client.get_json('/ws/v1/cluster/info').get('clusterInfo') or {}
        return info.get('haState') == 'ACTIVE'


def _client(urls_value, params, active_class, service):
    urls = namenode_urls(urls_value)
    if len(urls) > 1:
        return active_class.from_urls(urls, params, service)
    return HttpClient.from_params(urls[0] if urls else urls_value, params, service)


def namenode_client(params):
    """The client of the NameNode(s) named by params['namenode_url']."""
    return _client(params['namenode_url'], params, ActiveNameNodeClient, 'hdfs')


def resourcemanager_client(params, key='resourcemanager_url'):
    """The client of the ResourceManager(s) named by params[key]."""
    return _client(params[key], params, ActiveResourceManagerClient, 'yarn')
