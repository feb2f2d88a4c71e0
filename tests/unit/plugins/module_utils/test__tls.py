# -*- coding: utf-8 -*-
"""_tls: what openssl prints about a certificate, parsed; PEM blocks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _tls
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import tool_capture

END_2027 = calendar.timegm((2027, 12, 6, 11, 5, 48))


def test_a_host_certificate_is_parsed():
    facts = _tls.parse_x509(tool_capture('openssl_x509_host.txt')[1])
    assert facts['subject'] == 'CN=host1.example.test'
    assert facts['issuer'] == 'CN=datafleet.hadoop cluster CA'
    assert facts['not_after'] == END_2027
    assert facts['names'] == ['host1.example.test', 'host1']
    assert facts['fingerprint'].startswith('A0:F2:D2:7B') and len(facts['fingerprint'].split(':')) == 32


def test_a_certificate_without_names_has_none():
    facts = _tls.parse_x509(tool_capture('openssl_x509_ca.txt')[1])
    assert facts['names'] == [] and facts['subject'] == facts['issuer'] == 'CN=datafleet.hadoop cluster CA'


def test_output_without_the_fields_is_an_error():
    with pytest.raises(_tls.ToolError, match='no subject, issuer, not_after, fingerprint'):
        _tls.parse_x509('unable to load certificate')


@pytest.mark.parametrize('value, expected', [
    ('Dec  6 11:05:48 2027 GMT', END_2027),
    ('Dec 16 01:02:03 2030 GMT', calendar.timegm((2030, 12, 16, 1, 2, 3))),
])
def test_openssl_dates(value, expected):
    assert _tls.parse_not_after(value) == expected


def test_expiry_counts_whole_days_from_now():
    facts = {'not_after': END_2027}
    assert _tls.expires_within(facts, 30, now=END_2027 - 29 * 86400)
    assert not _tls.expires_within(facts, 30, now=END_2027 - 31 * 86400)


def test_common_name():
    assert _tls.common_name('CN=host1.example.test,O=Example') == 'host1.example.test'
    assert _tls.common_name('O=Example') == ''


def test_pem_blocks_of_one_kind():
    cert = '-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----'
    key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'
    text = 'Bag Attributes\n' + cert + '\n' + key + cert.replace('MIIB', 'MIIC')
    assert _tls.split_pem(text) == ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
                                    '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n']
    assert _tls.split_pem(text, 'PRIVATE KEY') == [key]
    assert _tls.split_pem(None) == []
