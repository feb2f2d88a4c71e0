# -*- coding: utf-8 -*-
"""_secure: the client side of a secured cluster read from the configuration the collection renders:
HTTPS addresses in place of HTTP ones, the keytab and principal to log in with, the login itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _secure, _security
from ansible_collections.datafleet.hadoop.plugins.module_utils._config import to_hadoop_xml
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import captured_bytes

REALM = 'EXAMPLE.TEST'
USERS = {'hdfs': 'hdfs', 'yarn': 'yarn', 'mapred': 'mapred', 'spark': 'spark', 'zookeeper': 'zookeeper'}
NN = 'nn/master1.example.test@EXAMPLE.TEST'


def write_conf(directory, keytab_dir, extra=None):
    """The four site files of secure mode as the hadoop role renders them, and ssl-client.xml."""
    settings = _security.settings('kerberos', REALM, str(keytab_dir), USERS)
    names = {'core_site': 'core-site.xml', 'hdfs_site': 'hdfs-site.xml', 'yarn_site': 'yarn-site.xml',
             'mapred_site': 'mapred-site.xml'}
    for section, name in names.items():
        config = dict(settings[section], **(extra or {}).get(section, {}))
        (directory / name).write_text(to_hadoop_xml(config))
    (directory / 'ssl-client.xml').write_text(to_hadoop_xml({_secure.CA_PROPERTY: '/etc/security/tls/ca.crt'}))
    return str(directory)


@pytest.fixture
def secured(tmp_path):
    conf = tmp_path / 'conf'
    conf.mkdir()
    keytabs = tmp_path / 'keytabs'
    keytabs.mkdir()
    return _secure.ClientSecurity(_secure.read_config(write_conf(conf, keytabs))), keytabs


def test_a_cluster_without_configuration_is_reached_as_given(tmp_path):
    security = _secure.ClientSecurity(_secure.read_config(str(tmp_path)))
    assert not security.kerberos and security.ports == {} and security.ca_path is None
    assert security.url('http://master1:9870') == 'http://master1:9870'


def test_https_only_endpoints_get_their_https_address(secured):
    security = secured[0]
    assert security.kerberos and security.ca_path == '/etc/security/tls/ca.crt'
    assert security.url('http://master1.example.test:9870') == 'https://master1.example.test:9871'
    assert security.url('http://master1:8088/ws/v1/cluster/info') == 'https://master1:8090/ws/v1/cluster/info'
    assert security.url('http://worker1:9864/jmx?qry=x') == 'https://worker1:9865/jmx?qry=x'
    assert security.url('http://master1:19888') == 'https://master1:19890'
    assert security.url('http://master1:8480') == 'https://master1:8481'
    # Not a Hadoop web port (the Spark history server), already HTTPS, or no port: unchanged.
    assert security.url('http://master1:18080') == 'http://master1:18080'
    assert security.url('https://master1:9871') == 'https://master1:9871'
    assert security.url('tcp://master1:8019') == 'tcp://master1:8019'


def test_ha_addresses_map_by_their_suffix(tmp_path):
    conf = tmp_path / 'conf'
    conf.mkdir()
    extra = {'hdfs_site': {'dfs.namenode.http-address.ns1.nn1': 'm1:50070', 'dfs.namenode.https-address.ns1.nn1': 'm1:50470'},
             'yarn_site': {'yarn.resourcemanager.webapp.address.rm1': 'm1:8088'}}
    security = _secure.ClientSecurity(_secure.read_config(write_conf(conf, tmp_path, extra)))
    assert security.url('http://m1:50070') == 'https://m1:50470'
    assert security.url('http://m1:8088') == 'https://m1:8090'


def test_a_policy_other_than_https_only_keeps_http(tmp_path):
    conf = tmp_path / 'conf'
    conf.mkdir()
    extra = {'hdfs_site': {'dfs.http.policy': 'HTTP_AND_HTTPS'}}
    security = _secure.ClientSecurity(_secure.read_config(write_conf(conf, tmp_path, extra)))
    assert security.url('http://m1:9870') == 'http://m1:9870'
    assert security.url('http://m1:8088') == 'https://m1:8090'


def test_the_service_keytab_with_a_matching_principal_is_chosen(secured):
    security, keytabs = secured
    with pytest.raises(_secure.SecurityError, match='no service keytab to log in with for hdfs'):
        security.keytab('hdfs')
    # The captured keytab holds nn/master1.example.test and HTTP/master1.example.test.
    (keytabs / 'hdfs.service.keytab').write_bytes(captured_bytes('krb5_two_versions.keytab'))
    assert security.keytab('hdfs') == (str(keytabs / 'hdfs.service.keytab'), NN)
    # A YARN module on a host without a YARN keytab logs in as an HDFS daemon.
    assert security.keytab('yarn') == (str(keytabs / 'hdfs.service.keytab'), NN)


def test_a_keytab_without_the_principal_is_named_in_the_error(tmp_path):
    conf = tmp_path / 'conf'
    conf.mkdir()
    (tmp_path / 'yarn.service.keytab').write_bytes(captured_bytes('krb5_two_versions.keytab'))
    security = _secure.ClientSecurity(_secure.read_config(write_conf(conf, tmp_path)))
    with pytest.raises(_secure.SecurityError) as error:
        security.keytab('yarn')
    assert '%s/yarn.service.keytab: no principal like rm/_HOST@EXAMPLE.TEST' % tmp_path in str(error.value)


@pytest.mark.parametrize('wanted, expected', [
    ('nn/_HOST@EXAMPLE.TEST', NN),
    ('nn/MASTER1.example.test@EXAMPLE.TEST', NN),
    ('nn/_HOST@OTHER.TEST', None),
    ('dn/_HOST@EXAMPLE.TEST', None),
])
def test_matching_principal(wanted, expected):
    assert _secure.matching_principal(wanted, ['HTTP/master1.example.test@EXAMPLE.TEST', NN]) == expected


def test_login_puts_the_ticket_in_a_private_cache_once(tmp_path, monkeypatch):
    kinit = tmp_path / 'kinit'
    calls = tmp_path / 'calls'
    kinit.write_text('#!/bin/sh\necho "$@" >> %s\n: > "$5"\n' % calls)
    kinit.chmod(0o755)
    monkeypatch.setattr(_secure, '_LOGINS', {})
    monkeypatch.delenv('KRB5CCNAME', raising=False)
    cache = _secure.login('/k/hdfs.keytab', NN, kinit=str(kinit))
    assert os.environ['KRB5CCNAME'] == cache and os.path.exists(cache)
    assert stat.S_IMODE(os.stat(os.path.dirname(cache)).st_mode) == 0o700
    assert _secure.login('/k/hdfs.keytab', NN, kinit=str(kinit)) == cache
    assert calls.read_text().splitlines() == ['-k -t /k/hdfs.keytab -c %s %s' % (cache, NN)]


def test_a_refused_login_says_what_kinit_said(tmp_path, monkeypatch):
    kinit = tmp_path / 'kinit'
    kinit.write_text('#!/bin/sh\necho "kinit: Password incorrect while getting initial credentials" >&2\nexit 1\n')
    kinit.chmod(0o755)
    monkeypatch.setattr(_secure, '_LOGINS', {})
    with pytest.raises(_secure.SecurityError, match='failed: kinit: Password incorrect'):
        _secure.login('/k/hdfs.keytab', NN, kinit=str(kinit))
