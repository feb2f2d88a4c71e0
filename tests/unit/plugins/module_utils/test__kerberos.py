# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.datafleet.hadoop.plugins.module_utils import _kerberos as k
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import captured_bytes, tool_capture

NN = 'nn/master1.example.test@EXAMPLE.TEST'
HTTP = 'HTTP/master1.example.test@EXAMPLE.TEST'


def test_keytab_listing():
    rc, out, err = tool_capture('krb5_klist_keytab.txt')
    entries = k.keytab_entries(out)
    assert [(e['principal'], e['kvno']) for e in entries] == [(NN, 1), (NN, 1), (HTTP, 1), (HTTP, 1)]
    assert entries[0]['enctype'] == 'aes256-cts-hmac-sha1-96'
    assert k.keytab_kvnos(entries) == {NN: 1, HTTP: 1}


def test_keytab_listing_without_timestamps():
    rc, out, err = tool_capture('krb5_klist_keytab.txt')
    # klist -k -e without -t: the same lines without the date and time columns.
    plain = '\n'.join(line[:5] + line[23:] if line.startswith('   1 ') else line for line in out.splitlines())
    assert k.keytab_kvnos(k.keytab_entries(plain)) == {NN: 1, HTTP: 1}


def test_missing_keytab_lists_nothing():
    rc, out, err = tool_capture('krb5_klist_keytab_missing.txt')
    assert rc == 1 and k.keytab_entries(out) == []


def test_principal_record():
    rc, out, err = tool_capture('krb5_kadmin_getprinc.txt')
    assert k.principal_record(out) == {'principal': NN, 'kvno': 1,
                                       'enctypes': ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96']}
    rc, out, err = tool_capture('krb5_kadmin_getprinc_rekeyed.txt')
    assert k.principal_record(out)['kvno'] == 2


def test_missing_principal_is_an_error_on_stderr_with_rc_0():
    rc, out, err = tool_capture('krb5_kadmin_getprinc_missing.txt')
    assert rc == 0 and k.principal_record(out) is None
    assert any('Principal does not exist' in line for line in k.kadmin_errors(err))


def test_policy_notice_is_not_an_error():
    rc, out, err = tool_capture('krb5_kadmin_addprinc.txt')
    assert k.kadmin_errors(err) == []
    rc, out, err = tool_capture('krb5_kadmin_addprinc_exists.txt')
    assert len(k.kadmin_errors(err)) == 1 and 'already exists' in k.kadmin_errors(err)[0]


def test_exported_entries_name_principals_without_realm():
    rc, out, err = tool_capture('krb5_kadmin_ktadd_norandkey.txt')
    assert k.exported(out) == {'nn/master1.example.test': 1}
    assert k.short(NN) == 'nn/master1.example.test'
    rc, out, err = tool_capture('krb5_kadmin_remote_ktadd_norandkey_without_e.txt')
    assert k.exported(out) == {} and 'extract-keys' in k.kadmin_errors(err)[0]


def test_keytab_file_parsed_as_klist_lists_it():
    data = captured_bytes('krb5_two_versions.keytab')
    rc, out, err = tool_capture('krb5_klist_two_versions.txt')
    parsed = k.parse_keytab(data)
    assert [(e['principal'], e['kvno']) for e in parsed] == [(e['principal'], e['kvno']) for e in k.keytab_entries(out)]
    # aes256-cts-hmac-sha1-96 is enctype 18, aes128-cts-hmac-sha1-96 17.
    assert [e['enctype'] for e in parsed] == [18, 17] * 3
    assert k.keytab_kvnos(parsed) == {NN: 1, HTTP: 2}


def test_damaged_keytab_files_are_refused():
    data = captured_bytes('krb5_two_versions.keytab')
    for bad in (data[:50], b'\x05\x01' + data[2:], b'not a keytab'):
        try:
            k.parse_keytab(bad)
        except ValueError as e:
            assert 'keytab' in str(e)
        else:
            raise AssertionError('accepted %r' % bad[:10])
