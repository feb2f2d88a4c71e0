# -*- coding: utf-8 -*-
"""kerberos_keytab: compared by principal and kvno, replaced only when stale, checked with kinit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import stat

import pytest

from ansible.module_utils import basic

from ansible_collections.datafleet.hadoop.plugins.modules import kerberos_keytab
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import tool_capture

NN = 'nn/master1.example.test@EXAMPLE.TEST'
HTTP = 'HTTP/master1.example.test@EXAMPLE.TEST'
OLD = b'old keytab'
NEW = b'new keytab'


@pytest.fixture(autouse=True)
def binaries(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: '/usr/bin/' + name)


@pytest.fixture
def keytab(tmp_path):
    path = tmp_path / 'hdfs.keytab'
    path.write_bytes(OLD)
    os.chmod(str(path), 0o400)
    return path


def args(path, kvno=1, **extra):
    return dict({'path': str(path), 'principals': [NN, HTTP], 'kvnos': {NN: kvno, HTTP: {'kvno': kvno, 'enctypes': []}}},
                **extra)


def test_a_keytab_with_the_keys_is_left_alone(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, content=base64.b64encode(NEW).decode()))
    assert result['changed'] is False and result['stale'] == [] and result['principals'] == {NN: 1, HTTP: 1}
    assert keytab.read_bytes() == OLD
    assert commands.calls == [['/usr/bin/klist', '-k', '-e', str(keytab)]]


def test_a_newer_kvno_replaces_the_keytab(commands, run_module, keytab):
    rekeyed = tool_capture('krb5_klist_keytab.txt')
    rekeyed = (0, rekeyed[1].replace('   1 ', '   2 '), '')
    commands.results = [tool_capture('krb5_klist_keytab.txt'), rekeyed, rekeyed]
    result = run_module(kerberos_keytab, args(keytab, kvno=2, content=base64.b64encode(NEW).decode(), mode='0440'))
    assert result['changed'] is True and result['stale'] == [NN, HTTP] and result['principals'] == {NN: 2, HTTP: 2}
    assert keytab.read_bytes() == NEW
    assert stat.S_IMODE(os.stat(str(keytab)).st_mode) == 0o440
    assert [os.path.dirname(call[-1]) for call in commands.calls] == [str(keytab.parent)] * 3
    assert 'new keytab' not in repr(result)


def test_content_without_the_keys_is_refused_and_nothing_moves(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab_missing.txt'), tool_capture('krb5_klist_keytab.txt')]
    keytab.unlink()
    result = run_module(kerberos_keytab, args(keytab, kvno=2, content=base64.b64encode(NEW).decode()))
    assert result['failed'] and 'does not hold' in result['msg']
    assert not keytab.exists() and os.listdir(str(keytab.parent)) == []


def test_stale_without_content_fails_naming_the_principals(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, kvno=2))
    assert result['failed'] and NN in result['msg'] and result['stale'] == [NN, HTTP]


def test_check_mode_reports_the_stale_principals(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, kvno=2, verify=True), check_mode=True)
    assert result['changed'] is True and result['stale'] == [NN, HTTP] and keytab.read_bytes() == OLD


def test_a_missing_keytab_is_written(commands, run_module, tmp_path):
    path = tmp_path / 'keytabs' / 'yarn.keytab'
    commands.results = [tool_capture('krb5_klist_keytab.txt'), tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(path, content=base64.b64encode(NEW).decode()))
    assert result['changed'] is True and path.read_bytes() == NEW
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o400


def test_mode_is_corrected_alone(commands, run_module, keytab):
    os.chmod(str(keytab), 0o644)
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab))
    assert result['changed'] is True and result['stale'] == []
    assert stat.S_IMODE(os.stat(str(keytab)).st_mode) == 0o400 and keytab.read_bytes() == OLD


def test_verify_passes_with_tickets_from_the_kdc(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt'), tool_capture('krb5_kinit_keytab.txt'),
                        tool_capture('krb5_kinit_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, verify=True))
    assert result['changed'] is False
    assert commands.calls[1] == ['/usr/bin/kinit', '-k', '-t', str(keytab), '-c', 'MEMORY:datafleet-check', NN]


def test_verify_fails_on_keys_the_kdc_no_longer_has(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt'), tool_capture('krb5_kinit_stale_keytab.txt'),
                        tool_capture('krb5_kinit_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, verify=True))
    assert result['failed'] and 'Password incorrect' in result['msg'] and NN in result['msg']


def test_content_that_is_not_base64_is_refused(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, kvno=2, content='not base64!'))
    assert result['failed'] and 'base64' in result['msg'] and keytab.read_bytes() == OLD


def test_without_kvnos_any_version_counts(commands, run_module, keytab):
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, {'path': str(keytab), 'principals': [NN, HTTP]})
    assert result['changed'] is False and result['stale'] == []


def test_stale_ok_reports_and_changes_nothing(commands, run_module, keytab):
    os.chmod(str(keytab), 0o644)
    commands.results = [tool_capture('krb5_klist_keytab.txt')]
    result = run_module(kerberos_keytab, args(keytab, kvno=2, stale_ok=True, verify=True))
    assert result['changed'] is False and result['stale'] == [NN, HTTP]
    assert stat.S_IMODE(os.stat(str(keytab)).st_mode) == 0o644 and len(commands.calls) == 1
