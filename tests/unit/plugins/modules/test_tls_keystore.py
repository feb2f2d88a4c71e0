# -*- coding: utf-8 -*-
"""tls_ca and tls_keystore with the real openssl and keytool, in a temporary directory: a certificate
asked for, signed, installed once; kept on a re-run; replaced near its end, for other names or another CA;
a given certificate checked before anything is written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import shutil
import stat
import subprocess

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import tls_ca, tls_keystore

pytestmark = pytest.mark.skipif(not (shutil.which('openssl') and shutil.which('keytool')),
                                reason='needs openssl and keytool (a Java runtime)')

NAMES = ['host1.example.test', 'host1']
PASSWORD = 'store-password-1'
GROUP = grp.getgrgid(os.getgid()).gr_name


@pytest.fixture
def ca(tmp_path, run_module):
    result = run_module(tls_ca, {'path': str(tmp_path / 'ca')})
    assert result['changed'] is True and 'BEGIN CERTIFICATE' in result['certificate']
    return result['certificate']


def keystore_args(tmp_path, ca_pem, tls='tls', **extra):
    return dict({'path': str(tmp_path / tls), 'names': NAMES, 'ca_certificate': ca_pem, 'group': GROUP,
                 'keystore_password': PASSWORD, 'truststore_password': PASSWORD}, **extra)


def sign(run_module, tmp_path, asked, ca_dir='ca', **extra):
    assert asked['request'] == {'names': asked['names'], 'csr': asked['csr']}
    result = run_module(tls_ca, dict({'path': str(tmp_path / ca_dir), 'sign': [asked['request']]}, **extra))
    assert result['changed'] is False, result
    return result['certificates'][asked['names'][0]]


def install(run_module, tmp_path, ca_pem, **extra):
    """A certificate asked for, signed by the CA in tmp_path/ca and installed."""
    asked = run_module(tls_keystore, keystore_args(tmp_path, ca_pem, **extra))
    assert asked['needs_certificate'] is True and 'BEGIN CERTIFICATE REQUEST' in asked['csr'], asked
    certificate = sign(run_module, tmp_path, asked)
    result = run_module(tls_keystore, keystore_args(tmp_path, ca_pem, certificate=certificate, **extra))
    assert result['changed'] is True and result['needs_certificate'] is False, result
    return result


def files(tmp_path):
    directory = tmp_path / 'tls'
    return dict((name, (directory / name).read_bytes()) for name in sorted(os.listdir(str(directory))))


def keytool(tmp_path, store):
    return subprocess.run(['keytool', '-list', '-v', '-keystore', str(tmp_path / 'tls' / store), '-storepass:env', 'P'],
                          capture_output=True, text=True, env=dict(os.environ, P=PASSWORD), check=True).stdout


def test_a_host_asks_for_a_certificate_gets_it_and_keeps_it(tmp_path, run_module, ca):
    check = run_module(tls_keystore, keystore_args(tmp_path, ca), check_mode=True)
    assert check['changed'] is True and check['needs_certificate'] and check['csr'] == ''
    assert not (tmp_path / 'tls').exists()
    result = install(run_module, tmp_path, ca)
    key = tmp_path / 'tls' / 'host.key'
    assert stat.S_IMODE(key.stat().st_mode) == 0o400
    assert stat.S_IMODE((tmp_path / 'tls' / 'keystore.p12').stat().st_mode) == 0o440
    listing = keytool(tmp_path, 'keystore.p12')
    assert 'PrivateKeyEntry' in listing and 'Certificate chain length: 2' in listing
    assert 'DNSName: host1.example.test' in listing and 'DNSName: host1' in listing
    assert 'trustedCertEntry' in keytool(tmp_path, 'truststore.p12')
    before = files(tmp_path)
    again = run_module(tls_keystore, keystore_args(tmp_path, ca))
    assert again['changed'] is False and again['needs_certificate'] is False and again['reasons'] == []
    assert again['fingerprint'] == result['fingerprint'] and files(tmp_path) == before


def test_a_certificate_near_its_end_is_renewed_with_the_same_key(tmp_path, run_module, ca):
    install(run_module, tmp_path, ca)
    before = files(tmp_path)
    asked = run_module(tls_keystore, keystore_args(tmp_path, ca, renew_before=400))
    assert asked['changed'] is False and asked['reasons'] == ['the certificate ends within 400 days']
    certificate = sign(run_module, tmp_path, asked, certificate_validity_days=500)
    result = run_module(tls_keystore, keystore_args(tmp_path, ca, renew_before=400, certificate=certificate))
    assert result['changed'] is True
    after = files(tmp_path)
    assert [name for name in after if after[name] != before[name]] == ['host.crt', 'keystore.p12']


def test_a_new_name_needs_a_new_certificate(tmp_path, run_module, ca):
    install(run_module, tmp_path, ca)
    asked = run_module(tls_keystore, keystore_args(tmp_path, ca, names=NAMES + ['host1.other.test']))
    assert asked['needs_certificate'] and asked['reasons'] == [
        'the certificate lacks the names host1.other.test (it has host1.example.test, host1)']


def test_another_ca_rewrites_the_trust_store_and_asks_for_its_certificate(tmp_path, run_module, ca):
    install(run_module, tmp_path, ca)
    other = run_module(tls_ca, {'path': str(tmp_path / 'other')})['certificate']
    asked = run_module(tls_keystore, keystore_args(tmp_path, other))
    assert asked['needs_certificate'] and asked['reasons'][0].startswith('the certificate is not signed by the CA')
    certificate = sign(run_module, tmp_path, asked, ca_dir='other')
    before = files(tmp_path)
    result = run_module(tls_keystore, keystore_args(tmp_path, other, certificate=certificate))
    assert result['changed'] is True
    after = files(tmp_path)
    assert sorted(name for name in after if after[name] != before[name]) == [
        'ca.crt', 'host.crt', 'keystore.p12', 'truststore.p12']
    assert after['ca.crt'].decode() == other


def test_a_certificate_for_other_names_is_refused_before_any_change(tmp_path, run_module, ca):
    install(run_module, tmp_path, ca)
    before = files(tmp_path)
    asked = run_module(tls_keystore, keystore_args(tmp_path, ca, names=['host2.example.test'], renew_before=400))
    certificate = sign(run_module, tmp_path, asked)
    refused = run_module(tls_keystore, keystore_args(tmp_path, ca, certificate=certificate))
    assert refused['failed'] and refused['msg'] == (
        'The certificate given for host1.example.test cannot be used: the certificate lacks the names '
        'host1.example.test, host1 (it has host2.example.test).')
    assert files(tmp_path) == before


def test_a_site_key_and_certificate_are_installed_once_and_a_wrong_pair_is_refused(tmp_path, run_module, ca):
    install(run_module, tmp_path, ca, tls='site')
    site_key = (tmp_path / 'site' / 'host.key').read_text()
    site_cert = (tmp_path / 'site' / 'host.crt').read_text()
    given = dict(private_key=site_key.strip(), certificate=site_cert)
    result = run_module(tls_keystore, keystore_args(tmp_path, ca, **given))
    assert result['changed'] is True and (tmp_path / 'tls' / 'host.key').read_text() == site_key
    assert site_key.splitlines()[1] not in str(result)
    assert run_module(tls_keystore, keystore_args(tmp_path, ca, **given))['changed'] is False
    install(run_module, tmp_path, ca, tls='other')
    other_key = (tmp_path / 'other' / 'host.key').read_text()
    before = files(tmp_path)
    refused = run_module(tls_keystore, keystore_args(tmp_path, ca, private_key=other_key, certificate=site_cert))
    assert refused['failed'] and 'the certificate is not for the private key' in refused['msg']
    assert files(tmp_path) == before


def test_short_passwords_are_refused(tmp_path, run_module, ca):
    refused = run_module(tls_keystore, keystore_args(tmp_path, ca, truststore_password='x1y2z'))
    assert refused['failed'] and refused['msg'].startswith('truststore_password is shorter than 6 characters')


def test_the_ca_is_made_once_and_never_replaced(tmp_path, run_module, ca):
    again = run_module(tls_ca, {'path': str(tmp_path / 'ca')})
    assert again['changed'] is False and again['certificate'] == ca
    (tmp_path / 'ca' / 'ca.crt').unlink()
    refused = run_module(tls_ca, {'path': str(tmp_path / 'ca')})
    assert refused['failed'] and 'ca.key exists without ca.crt' in refused['msg']
    assert (tmp_path / 'ca' / 'ca.key').exists()


def test_the_ca_signs_only_a_request_for_the_first_name(tmp_path, run_module, ca):
    asked = run_module(tls_keystore, keystore_args(tmp_path, ca))
    refused = run_module(tls_ca, {'path': str(tmp_path / 'ca'), 'sign': [
        {'host': 'host1', 'names': ['intruder.example.test'], 'csr': asked['csr']}]})
    assert refused['failed'] and refused['msg'] == \
        "the signing request for intruder.example.test is for 'CN=host1.example.test'"
