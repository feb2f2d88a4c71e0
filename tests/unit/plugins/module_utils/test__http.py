# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils import _http
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    ActiveNameNodeClient, ActiveResourceManagerClient, HadoopHttpError, HttpClient, http_argument_spec, namenode_client,
    namenode_urls, resourcemanager_client)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeHadoop, Reply, captured_bytes, captured_json)

MISSING = '/webhdfs/v1/no/such/path'


def client(fake, **options):
    return HttpClient(NAMENODE_URL + '/', opener=fake, **options)


def test_get_json_returns_the_captured_body_parsed():
    fake = FakeHadoop().on('GET', '/webhdfs/v1/data', Reply.captured('webhdfs_GETFILESTATUS_dir.json'),
                           op='GETFILESTATUS')
    data = client(fake).get_json('/webhdfs/v1/data', {'op': 'GETFILESTATUS', 'user.name': 'root'})
    assert data == captured_json('webhdfs_GETFILESTATUS_dir.json')
    assert fake.requests[0].url == NAMENODE_URL + '/webhdfs/v1/data?op=GETFILESTATUS&user.name=root'


def test_connection_options_reach_open_url():
    fake = FakeHadoop().on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus.json'))
    params = dict((key, spec.get('default')) for key, spec in http_argument_spec().items())
    params.update(validate_certs=False, ca_path='/etc/pki/ca.pem', use_gssapi=True, timeout=7)
    c = HttpClient.from_params(NAMENODE_URL, params)
    c._open = fake
    c.get_json('/jmx')
    assert fake.requests[0].options == dict(validate_certs=False, ca_path='/etc/pki/ca.pem', client_cert=None,
                                            client_key=None, use_gssapi=True, timeout=7)
    assert fake.requests[0].follow_redirects == 'safe'


class RecordingRequest(object):
    """ansible's Request, recording what open() is given instead of sending anything."""
    calls = []

    def open(self, method, url, **options):
        RecordingRequest.calls.append((method, url, options))
        return 'response'


@pytest.fixture
def recorded(monkeypatch):
    made = []
    monkeypatch.setattr(_http, 'Request', RecordingRequest)
    monkeypatch.setattr(_http, '_CONTEXTS', {})
    monkeypatch.setattr(_http, 'make_context', lambda **options: made.append(options) or ssl.create_default_context())
    RecordingRequest.calls = []
    return made


def test_plain_http_requests_load_no_certificate_store(recorded):
    for path in ('/jmx', '/isActive'):
        assert _http.open_url(NAMENODE_URL + path, method='GET', timeout=5) == 'response'
    contexts = [options['context'] for method, url, options in RecordingRequest.calls]
    assert contexts[0] is contexts[1] and recorded == []
    # Not used for HTTP; a redirect to HTTPS would fail its verification rather than go unchecked.
    assert contexts[0].verify_mode == ssl.CERT_REQUIRED and contexts[0].get_ca_certs() == []


def test_https_requests_share_one_context_per_set_of_tls_options(recorded):
    url = 'https://nn1.example.com:9871/jmx'
    _http.open_url(url, data=b'x', ca_path='/etc/pki/ca.pem')
    _http.open_url(url, ca_path='/etc/pki/ca.pem')
    _http.open_url(url, validate_certs=False)
    assert [call[0] for call in RecordingRequest.calls] == ['POST', 'GET', 'GET']
    contexts = [options['context'] for method, url, options in RecordingRequest.calls]
    assert contexts[0] is contexts[1] and contexts[2] is not contexts[0]
    assert recorded == [dict(cafile='/etc/pki/ca.pem', validate_certs=True, client_cert=None, client_key=None),
                        dict(cafile=None, validate_certs=False, client_cert=None, client_key=None)]


def test_http_error_carries_status_and_the_remote_exception():
    fake = FakeHadoop().on('GET', MISSING, Reply.captured('webhdfs_GETFILESTATUS_missing_404.json', 404))
    with pytest.raises(HadoopHttpError) as e:
        client(fake).get_json(MISSING, {'op': 'GETFILESTATUS'})
    body = captured_bytes('webhdfs_GETFILESTATUS_missing_404.json')
    assert e.value.status == 404
    assert e.value.body == body
    message = captured_json('webhdfs_GETFILESTATUS_missing_404.json')['RemoteException']['message']
    assert str(e.value) == 'GET %s%s?op=GETFILESTATUS answered HTTP 404: %s' % (
        NAMENODE_URL, MISSING, body.decode().strip())
    assert message in str(e.value)


def test_long_error_body_is_shortened():
    # Derived: a captured JMX body (4.7 kB) served with status 500.
    body = captured_bytes('nn_jmx_FSNamesystemState.json')
    fake = FakeHadoop().on('GET', '/jmx', Reply(500, body))
    with pytest.raises(HadoopHttpError) as e:
        client(fake).get_json('/jmx')
    assert e.value.status == 500
    assert e.value.body == body
    tail = str(e.value).split('answered HTTP 500: ', 1)[1]
    assert tail == body.decode().strip()[:300] + '...'


def test_unexpected_success_status_is_an_error():
    # Derived: a 201 where only 200 is expected.
    fake = FakeHadoop().on('GET', '/jmx', Reply(201, b''))
    with pytest.raises(HadoopHttpError) as e:
        client(fake).request('GET', '/jmx')
    assert e.value.status == 201


def test_non_json_body_gives_a_clear_error():
    # A captured non-JSON text (a VERSION file) served where JSON is expected,
    # as when the URL points at something other than a Hadoop REST endpoint.
    text = captured_bytes('namenode_VERSION.txt')
    fake = FakeHadoop().on('GET', '/jmx', Reply(200, text, {'Content-Type': 'text/plain'}))
    with pytest.raises(HadoopHttpError) as e:
        client(fake).get_json('/jmx', {'qry': 'x'})
    assert str(e.value).startswith('GET %s/jmx?qry=x did not answer JSON: #' % NAMENODE_URL)
    assert 'clusterID=' in str(e.value)
    assert e.value.status is None


@pytest.mark.parametrize('error, reason', [
    (URLError(ConnectionRefusedError(111, 'Connection refused')), 'Connection refused'),
    (socket.timeout('timed out'), 'timed out'),
])
def test_unreachable_daemon_names_the_url(error, reason):
    fake = FakeHadoop().on('GET', '/jmx', error)
    with pytest.raises(HadoopHttpError) as e:
        client(fake).get_json('/jmx')
    assert str(e.value).startswith('cannot reach GET %s/jmx: ' % NAMENODE_URL)
    assert reason in str(e.value)


@pytest.mark.parametrize('path, query, url', [
    ('/jmx', None, NAMENODE_URL + '/jmx'),
    ('/jmx', {'qry': 'Hadoop:service=NameNode,name=NameNodeInfo'},
     NAMENODE_URL + '/jmx?qry=Hadoop%3Aservice%3DNameNode%2Cname%3DNameNodeInfo'),
    ('/w?op=CREATE', {'b': '2', 'a': '1'}, NAMENODE_URL + '/w?op=CREATE&a=1&b=2'),
    ('http://127.0.0.1:9864/webhdfs/v1/x?op=CREATE', None, 'http://127.0.0.1:9864/webhdfs/v1/x?op=CREATE'),
])
def test_url(path, query, url):
    assert HttpClient(NAMENODE_URL + '/').url(path, query) == url


# ---------------------------------------------------------------------------
# Several NameNodes (HA): the client finds the active one and follows a
# failover. /isActive of a standby is captured (405); the WebHDFS
# StandbyException below is derived from Hadoop's documentation (a 403
# RemoteException).
# ---------------------------------------------------------------------------

NN1, NN2 = 'nn1.example.com:9870', 'nn2.example.com:9870'
URLS = 'http://%s, http://%s/' % (NN1, NN2)


def _standby():
    return Reply(405, captured_bytes('nn_isActive_standby.html'))


def _standby_exception():
    return Reply.json({'RemoteException': {'exception': 'StandbyException', 'javaClassName':
                                           'org.apache.hadoop.ipc.StandbyException',
                                           'message': 'Operation category READ is not supported in state standby'}},
                      status=403)


def _active():
    return Reply(200, captured_bytes('nn_isActive_active.txt'))


def test_one_namenode_url_is_a_plain_client():
    client = namenode_client({'namenode_url': 'http://%s' % NN1, 'timeout': 30})
    assert not isinstance(client, ActiveNameNodeClient) and client.base_url == 'http://%s' % NN1


def test_the_active_namenode_is_found_and_asked(hadoop):
    hadoop.on('GET', '/isActive', _standby(), netloc=NN1)
    hadoop.on('GET', '/isActive', _active(), netloc=NN2)
    hadoop.on('GET', '/jmx', Reply.json({'beans': []}), netloc=NN2)
    client = ActiveNameNodeClient(namenode_urls(URLS), opener=hadoop)
    assert client.get_json('/jmx') == {'beans': []}
    assert [(r.netloc, r.path) for r in hadoop.requests] == [(NN1, '/isActive'), (NN2, '/isActive'), (NN2, '/jmx')]
    assert client.url('/jmx') == 'http://%s/jmx' % NN2


def test_a_failover_between_two_requests_is_followed(hadoop):
    hadoop.on('GET', '/isActive', _active(), _standby(), netloc=NN1)
    hadoop.on('GET', '/isActive', _active(), netloc=NN2)
    hadoop.on('GET', '/webhdfs/v1/data', Reply.json({'FileStatus': {}}), _standby_exception(), netloc=NN1)
    hadoop.on('GET', '/webhdfs/v1/data', Reply.json({'FileStatus': {'length': 1}}), netloc=NN2)
    client = ActiveNameNodeClient(namenode_urls(URLS), opener=hadoop)
    assert client.get_json('/webhdfs/v1/data') == {'FileStatus': {}}
    assert client.get_json('/webhdfs/v1/data') == {'FileStatus': {'length': 1}}


def test_no_active_namenode_names_each(hadoop):
    hadoop.on('GET', '/isActive', _standby(), netloc=NN1)
    hadoop.on('GET', '/isActive', URLError('[Errno 111] Connection refused'), netloc=NN2)
    with pytest.raises(HadoopHttpError, match='no active NameNode: http://%s is not active; http://%s does not answer'
                       % (NN1, NN2)):
        ActiveNameNodeClient(namenode_urls(URLS), opener=hadoop).get_json('/jmx')


# ResourceManagers (HA): /ws/v1/cluster/info of each, captured from an active
# and a standby ResourceManager of one pair.
RM1, RM2 = 'rm1.example.com:8088', 'rm2.example.com:8088'


def test_the_active_resourcemanager_is_found_by_its_ha_state(hadoop):
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_ha_standby.json'), netloc=RM1)
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_ha_active.json'), netloc=RM2)
    hadoop.on('GET', '/ws/v1/cluster/metrics', Reply.captured('rm_cluster_metrics.json'), netloc=RM2)
    client = resourcemanager_client({'resourcemanager_url': 'http://%s,http://%s' % (RM1, RM2), 'timeout': 30})
    assert isinstance(client, ActiveResourceManagerClient)
    assert client.get_json('/ws/v1/cluster/metrics') == captured_json('rm_cluster_metrics.json')
    assert [(r.netloc, r.path) for r in hadoop.requests] == [
        (RM1, '/ws/v1/cluster/info'), (RM2, '/ws/v1/cluster/info'), (RM2, '/ws/v1/cluster/metrics')]


def test_no_active_resourcemanager_names_each(hadoop):
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_ha_standby.json'), netloc=RM1)
    hadoop.on('GET', '/ws/v1/cluster/info', URLError('[Errno 111] Connection refused'), netloc=RM2)
    with pytest.raises(HadoopHttpError, match='no active ResourceManager: http://%s is not active; http://%s does '
                       'not answer' % (RM1, RM2)):
        resourcemanager_client({'resourcemanager_url': 'http://%s,http://%s' % (RM1, RM2), 'timeout': 30},
                               ).get_json('/ws/v1/cluster/metrics')


def test_one_resourcemanager_url_is_a_plain_client():
    client = resourcemanager_client({'resourcemanager_url': 'http://%s' % RM1, 'timeout': 30})
    assert isinstance(client, HttpClient) and not isinstance(client, ActiveResourceManagerClient)
