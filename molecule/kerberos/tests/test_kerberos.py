# -*- coding: utf-8 -*-
"""The Kerberos roles against a real MIT KDC: principals created once, keytabs
written only when they lack keys, no key ever changed by the collection, no
secret in the output. Checked with kadmin.local, klist and kinit in the
containers. The tests run in file order and build on each other."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import re
import subprocess

import testinfra

SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY = os.path.join(SCENARIO, 'inventory')
CONVERGE = os.path.join(SCENARIO, 'converge.yml')
REALM = 'DFKRB.TEST'
HOST_NAME = 'mk-host1.dfkrb'
NN = 'nn/%s@%s' % (HOST_NAME, REALM)
HTTP = 'HTTP/%s@%s' % (HOST_NAME, REALM)
RM = 'rm/%s@%s' % (HOST_NAME, REALM)
HDFS_KEYTAB = '/etc/security/keytabs/hdfs.keytab'
YARN_KEYTAB = '/etc/security/keytabs/yarn.keytab'
MASTER_PASSWORD = 'master-Secret-4c1d9e'

KDC = testinfra.get_host('docker://mk-kdc')
HOST = testinfra.get_host('docker://mk-host1')


def converge(*flags, **extra_vars):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PIPELINING='true')
    argv = ['ansible-playbook', '-i', INVENTORY, CONVERGE] + list(flags)
    if extra_vars:
        argv += ['-e', json.dumps(extra_vars)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=PROJECT, check=False)


def changed(result):
    """{host: changed count} of the play recap; the run must have succeeded."""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return dict((host, int(count)) for host, count in re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', result.stdout, re.M))


def kdc_kvno(principal):
    out = KDC.check_output('kadmin.local -q "getprinc %s"', principal)
    return max(int(vno) for vno in re.findall(r'^Key: vno (\d+),', out, re.M))


def keytab_kvnos(path):
    out = HOST.check_output('klist -k %s', path)
    return dict((name, int(vno)) for vno, name in re.findall(r'^\s*(\d+) (\S+@\S+)\s*$', out, re.M))


def digest(path):
    return HOST.check_output('sha256sum %s', path).split()[0]


def kinit(user, path, principal):
    return HOST.run('su -s /bin/sh %s -c "kinit -k -t %s -c MEMORY:t %s"', user, path, principal)


def test_keytabs_hold_the_keys_and_only_their_user_reads_them():
    assert keytab_kvnos(HDFS_KEYTAB) == {NN: 1, HTTP: 1}
    assert keytab_kvnos(YARN_KEYTAB) == {RM: 1}
    assert (kdc_kvno(NN), kdc_kvno(HTTP), kdc_kvno(RM)) == (1, 1, 1)
    hdfs = HOST.file(HDFS_KEYTAB)
    assert (hdfs.user, hdfs.group, hdfs.mode) == ('hdfs', 'root', 0o400)
    yarn = HOST.file(YARN_KEYTAB)
    assert (yarn.user, yarn.group, yarn.mode) == ('yarn', 'yarn', 0o440)
    assert kinit('hdfs', HDFS_KEYTAB, NN).rc == 0
    assert kinit('hdfs', HDFS_KEYTAB, HTTP).rc == 0
    refused = kinit('yarn', HDFS_KEYTAB, NN)
    assert refused.rc != 0 and 'Permission denied' in refused.stderr


def test_rerun_changes_nothing_keeps_every_key_and_logs_no_secret():
    before = (digest(HDFS_KEYTAB), digest(YARN_KEYTAB), HOST.file('/etc/krb5.conf').sha256sum)
    result = converge('-vvv')
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}
    assert (digest(HDFS_KEYTAB), digest(YARN_KEYTAB), HOST.file('/etc/krb5.conf').sha256sum) == before
    assert (kdc_kvno(NN), kdc_kvno(HTTP), kdc_kvno(RM)) == (1, 1, 1)
    output = result.stdout + result.stderr
    assert MASTER_PASSWORD not in output
    for path in (HDFS_KEYTAB, YARN_KEYTAB):
        content = base64.b64encode(HOST.file(path).content).decode()
        assert content not in output and content[:40] not in output


def test_a_rekeyed_principal_gets_its_keytab_written_again():
    KDC.check_output('kadmin.local -q "cpw -randkey %s"', RM)
    assert kdc_kvno(RM) == 2
    stale = kinit('yarn', YARN_KEYTAB, RM)
    assert stale.rc != 0
    hdfs_before = digest(HDFS_KEYTAB)
    check = converge('--check', '--diff')
    assert changed(check)['mk-host1.dfkrb'] >= 1 and keytab_kvnos(YARN_KEYTAB) == {RM: 1}
    result = converge()
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    assert keytab_kvnos(YARN_KEYTAB) == {RM: 2} and kdc_kvno(RM) == 2
    assert kinit('yarn', YARN_KEYTAB, RM).rc == 0
    assert digest(HDFS_KEYTAB) == hdfs_before and (kdc_kvno(NN), kdc_kvno(HTTP)) == (1, 1)


def test_a_lost_keytab_comes_back_without_a_new_key():
    HOST.check_output('rm %s', HDFS_KEYTAB)
    check = converge('--check')
    assert changed(check)['mk-host1.dfkrb'] >= 1 and not HOST.file(HDFS_KEYTAB).exists
    # The keys travel from the KDC to the host in this run: none may show in its most verbose output.
    result = converge('-vvv')
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    assert keytab_kvnos(HDFS_KEYTAB) == {NN: 1, HTTP: 1} and (kdc_kvno(NN), kdc_kvno(HTTP)) == (1, 1)
    content = base64.b64encode(HOST.file(HDFS_KEYTAB).content).decode()
    assert content[:40] not in result.stdout + result.stderr
    assert kinit('hdfs', HDFS_KEYTAB, NN).rc == 0
    assert changed(converge()) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}


def test_a_bad_realm_is_refused_before_any_change():
    before = HOST.file('/etc/krb5.conf').sha256sum
    result = converge(kerberos_client_realm='DFKRB TEST')
    assert result.returncode != 0
    assert 'must be a realm name without spaces' in ' '.join((result.stdout + result.stderr).split())
    assert HOST.file('/etc/krb5.conf').sha256sum == before


SPARK = 'spark/%s@%s' % (HOST_NAME, REALM)
SPARK_KEYTAB = '/etc/security/keytabs/spark.keytab'


def hand_over_keytab(tmp_path):
    """A keytab exported on the KDC without changing the key, copied to the controller."""
    KDC.check_output('rm -f /tmp/given.keytab && kadmin.local -q "ktadd -norandkey -k /tmp/given.keytab %s"', SPARK)
    path = tmp_path / 'spark.keytab'
    path.write_bytes(KDC.file('/tmp/given.keytab').content)
    return str(path)


def test_a_keytab_given_as_a_file_is_put_in_place_and_checked(tmp_path):
    KDC.check_output('kadmin.local -q "addprinc -randkey %s"', SPARK)
    given = hand_over_keytab(tmp_path)
    result = converge('-vvv', given_keytab=given)
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    assert keytab_kvnos(SPARK_KEYTAB) == {SPARK: 1} and HOST.file(SPARK_KEYTAB).mode == 0o400
    with open(given, 'rb') as keytab:
        content = base64.b64encode(keytab.read()).decode()
    assert content[:40] not in result.stdout + result.stderr
    assert changed(converge(given_keytab=given)) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}


def test_a_given_keytab_the_kdc_no_longer_accepts_fails_the_run_until_a_new_one_comes(tmp_path):
    old = hand_over_keytab(tmp_path)
    KDC.check_output('kadmin.local -q "cpw -randkey %s"', SPARK)
    refused = converge(given_keytab=old)
    assert refused.returncode != 0
    assert 'the KDC refused the keys of the keytab %s' % SPARK_KEYTAB in ' '.join((refused.stdout + refused.stderr).split())
    (tmp_path / 'new').mkdir()
    new = hand_over_keytab(tmp_path / 'new')
    result = converge(given_keytab=new)
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    assert keytab_kvnos(SPARK_KEYTAB) == {SPARK: 2} and kdc_kvno(SPARK) == 2
