# -*- coding: utf-8 -*-
"""kerberos_principal: principals created once with random keys, keys exported unchanged."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import re

import pytest

from ansible.module_utils import basic

from ansible_collections.datafleet.hadoop.plugins.modules import kerberos_principal
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import tool_capture

NN = 'nn/master1.example.test@EXAMPLE.TEST'
HTTP = 'HTTP/master1.example.test@EXAMPLE.TEST'
KEYTAB = b'\x05\x02 keytab bytes as kadmin wrote them'


@pytest.fixture(autouse=True)
def binaries(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: '/usr/sbin/' + name)


def queries(commands):
    return [call[call.index('-q') + 1] for call in commands.calls]


def test_existing_principal_is_read_not_changed(commands, run_module):
    commands.results = [tool_capture('krb5_kadmin_getprinc.txt')]
    result = run_module(kerberos_principal, {'principals': [NN]})
    assert result['changed'] is False and result['created'] == []
    assert result['principals'] == {NN: {'kvno': 1, 'enctypes': ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96']}}
    assert queries(commands) == ['getprinc ' + NN]
    assert commands.calls[0][0] == '/usr/sbin/kadmin.local'


def test_missing_principal_is_created_with_a_random_key(commands, run_module):
    commands.results = [tool_capture('krb5_kadmin_getprinc_missing.txt'), tool_capture('krb5_kadmin_addprinc.txt'),
                        tool_capture('krb5_kadmin_getprinc.txt')]
    result = run_module(kerberos_principal, {'principals': [NN]})
    assert result['changed'] is True and result['created'] == [NN] and result['principals'][NN]['kvno'] == 1
    assert queries(commands) == ['getprinc ' + NN, 'addprinc -randkey ' + NN, 'getprinc ' + NN]


def test_check_mode_creates_nothing(commands, run_module):
    commands.results = [tool_capture('krb5_kadmin_getprinc_missing.txt')]
    result = run_module(kerberos_principal, {'principals': [NN], 'export': True}, check_mode=True)
    assert result['changed'] is True and result['created'] == [NN] and 'keytab' not in result
    assert queries(commands) == ['getprinc ' + NN]


def test_a_failed_creation_fails_although_kadmin_exits_0(commands, run_module):
    commands.results = [tool_capture('krb5_kadmin_getprinc_missing.txt'), tool_capture('krb5_kadmin_addprinc_exists.txt')]
    result = run_module(kerberos_principal, {'principals': [NN]})
    assert result['failed'] and 'already exists' in result['msg']


def test_export_keeps_the_keys_and_returns_the_keytab(commands, run_module):
    def write(module, argv):
        query = argv[argv.index('-q') + 1]
        if query.startswith('ktadd'):
            path = re.search(r'-k (\S+)', query).group(1)
            with open(path, 'wb') as keytab:
                keytab.write(KEYTAB)
    commands.effect = write
    commands.results = [tool_capture('krb5_kadmin_getprinc.txt'), tool_capture('krb5_kadmin_ktadd_norandkey.txt')]
    result = run_module(kerberos_principal, {'principals': [NN], 'export': True})
    assert result['changed'] is False
    assert base64.b64decode(result['keytab']) == KEYTAB
    export = queries(commands)[1]
    assert export.startswith('ktadd -norandkey -k ') and export.endswith(' ' + NN)


def test_export_refused_without_extract_keys_privilege_names_the_fix(commands, run_module, tmp_path):
    admin = tmp_path / 'admin.keytab'
    admin.write_bytes(b'')
    commands.results = [tool_capture('krb5_kadmin_getprinc.txt'),
                        tool_capture('krb5_kadmin_remote_ktadd_norandkey_without_e.txt')]
    result = run_module(kerberos_principal, {'principals': [NN], 'export': True, 'kadmin': 'remote',
                                             'admin_principal': 'admin/admin@EXAMPLE.TEST', 'admin_keytab': str(admin)})
    assert result['failed'] and 'extract-keys' in result['msg'] and '"e" privilege' in result['msg']
    assert commands.calls[0][:6] == ['/usr/sbin/kadmin', '-p', 'admin/admin@EXAMPLE.TEST', '-k', '-t', str(admin)]


def test_a_rekey_during_the_export_fails(commands, run_module):
    commands.effect = lambda module, argv: None
    commands.results = [tool_capture('krb5_kadmin_getprinc.txt'), tool_capture('krb5_kadmin_ktadd_rekey.txt')]
    result = run_module(kerberos_principal, {'principals': [NN], 'export': True})
    assert result['failed'] and 'changed at the KDC' in result['msg']


def test_remote_mode_needs_an_admin_keytab(commands, run_module):
    result = run_module(kerberos_principal, {'principals': [NN], 'kadmin': 'remote'})
    assert result['failed'] and 'admin_keytab' in result['msg'] and commands.calls == []


def test_kadmin_that_cannot_start_fails_with_its_message(commands, run_module, tmp_path):
    commands.results = [tool_capture('krb5_kadmin_remote_bad_password.txt')]
    result = run_module(kerberos_principal, {'principals': [NN], 'kadmin': 'remote', 'admin_principal': 'admin/admin',
                                             'admin_keytab': str(tmp_path / 'k')})
    assert result['failed'] and 'Incorrect password' in result['msg']


@pytest.mark.parametrize('name', ['nn/master1.example.test', 'nn/a b@EXAMPLE.TEST', 'a/b/c@EXAMPLE.TEST'])
def test_bad_names_are_refused_before_kadmin_runs(commands, run_module, name):
    result = run_module(kerberos_principal, {'principals': [name]})
    assert result['failed'] and name in result['msg'] and commands.calls == []
