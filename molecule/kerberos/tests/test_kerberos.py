# -*- coding: utf-8 -*-
"""The Kerberos roles against a real MIT KDC: principals created once, keytabs
written only when they lack keys, no key ever changed by the collection; and
the TLS role with its CA on the KDC host: certificates replaced only near
their end. No secret in the output. Checked with kadmin.local, klist and kinit in the
containers. The tests run in file order and build on each other."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import re
import sys

import testinfra

SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY = os.path.join(SCENARIO, 'inventory')
CONVERGE = os.path.join(SCENARIO, 'converge.yml')
sys.path.insert(0, os.path.join(PROJECT, 'molecule', 'common'))
from runs import changed, run_playbook  # noqa: E402 pylint: disable=wrong-import-position
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
    return run_playbook(PROJECT, INVENTORY, CONVERGE, *flags, **extra_vars)


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


# TLS: the collection's CA on the KDC host, the host's key store and trust
# store, checked with keytool (Java's key store API) and openssl clients.
TLS_DIR = '/etc/security/tls'
CA_DIR = '/var/lib/datafleet-hadoop/ca'
TLS_SECRETS = ('keystore-Secret-7b2e41', 'truststore-Secret-93ad0c')
TLS_FILES = ('host.key', 'host.crt', 'ca.crt', 'keystore.p12', 'truststore.p12')


def tls_digests():
    return dict((name, digest('%s/%s' % (TLS_DIR, name))) for name in TLS_FILES)


def keytool_list(store, password):
    return HOST.check_output('DATAFLEET_P=%s keytool -list -v -keystore %s/%s -storepass:env DATAFLEET_P',
                             password, TLS_DIR, store)


def certificate_end(host, path):
    return host.check_output('openssl x509 -noout -enddate -in %s', path).partition('=')[2]


def assert_no_tls_secret(result):
    output = result.stdout + result.stderr
    for secret in TLS_SECRETS:
        assert secret not in output
    # Whole base64 lines of the key (the short last one could occur by chance), but not those of its public
    # modulus, which the certificate holds too, aligned alike.
    public = set(HOST.file('%s/host.crt' % TLS_DIR).content_string.splitlines())
    key_lines = [line for line in HOST.file('%s/host.key' % TLS_DIR).content_string.splitlines()
                 if len(line) == 64 and line not in public]
    assert key_lines and not any(line in output for line in key_lines)


def test_tls_stores_hold_the_host_certificate_and_the_ca():
    keystore = keytool_list('keystore.p12', TLS_SECRETS[0])
    assert 'Entry type: PrivateKeyEntry' in keystore and 'Certificate chain length: 2' in keystore
    assert 'DNSName: %s' % HOST_NAME in keystore and 'DNSName: mk-host1' in keystore
    truststore = keytool_list('truststore.p12', TLS_SECRETS[1])
    assert 'Entry type: trustedCertEntry' in truststore
    ca_fingerprint = KDC.check_output('openssl x509 -noout -fingerprint -sha256 -in %s/ca.crt', CA_DIR).partition('=')[2]
    assert 'SHA256: %s' % ca_fingerprint in truststore
    assert HOST.run('DATAFLEET_P=wrong-password-1 keytool -list -keystore %s/truststore.p12 -storepass:env DATAFLEET_P',
                    TLS_DIR).rc != 0
    files = dict((name, HOST.file('%s/%s' % (TLS_DIR, name))) for name in TLS_FILES)
    assert (files['host.key'].user, files['host.key'].mode) == ('root', 0o400)
    assert (files['keystore.p12'].user, files['keystore.p12'].group, files['keystore.p12'].mode) == ('root', 'hadoop', 0o440)
    assert files['truststore.p12'].mode == 0o444
    assert KDC.file('%s/ca.key' % CA_DIR).mode == 0o400 and not HOST.file('%s/ca.key' % CA_DIR).exists


def test_a_tls_client_on_another_host_verifies_the_host_certificate():
    server = HOST.run('timeout 60 openssl s_server -quiet -accept 8443 -cert %s/host.crt -key %s/host.key '
                      '>/dev/null 2>&1 & sleep 1', TLS_DIR, TLS_DIR)
    assert server.rc == 0
    client = KDC.run('echo | timeout 20 openssl s_client -connect mk-host1:8443 -verify_hostname %s '
                     '-verify_return_error -CAfile %s/ca.crt', HOST_NAME, CA_DIR)
    assert client.rc == 0 and 'Verify return code: 0 (ok)' in client.stdout
    wrong = KDC.run('echo | timeout 20 openssl s_client -connect mk-host1:8443 -verify_hostname mk-other.dfkrb '
                    '-verify_return_error -CAfile %s/ca.crt', CA_DIR)
    assert wrong.rc != 0
    HOST.run('pkill -f "openssl s_server"')


def test_tls_rerun_changes_nothing_and_logs_no_secret():
    before = tls_digests()
    result = converge('-vvv')
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}
    assert tls_digests() == before
    assert_no_tls_secret(result)


def test_a_certificate_near_its_end_is_replaced_with_the_same_key():
    before = tls_digests()
    end = certificate_end(HOST, '%s/host.crt' % TLS_DIR)
    renew = dict(tls_certificate_validity_days=400, tls_renew_before_days=380)
    check = converge('--check', '--diff', **renew)
    assert changed(check)['mk-host1.dfkrb'] >= 1 and tls_digests() == before
    result = converge('-vvv', **renew)
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    after = tls_digests()
    assert [name for name in TLS_FILES if after[name] != before[name]] == ['host.crt', 'keystore.p12']
    assert certificate_end(HOST, '%s/host.crt' % TLS_DIR) != end
    assert 'Certificate chain length: 2' in keytool_list('keystore.p12', TLS_SECRETS[0])
    assert_no_tls_secret(result)
    assert changed(converge(**renew)) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}


def site_certificate(tmp_path, name):
    """A key and a certificate for name, signed by the CA as a site's CA would hand them over."""
    KDC.check_output('openssl req -new -newkey rsa:2048 -nodes -keyout /tmp/site.key -subj /CN=%s '
                     '-addext subjectAltName=DNS:%s -out /tmp/site.csr', name, name)
    KDC.check_output('openssl x509 -req -in /tmp/site.csr -CA %s/ca.crt -CAkey %s/ca.key -days 90 -copy_extensions '
                     'copy -out /tmp/site.crt', CA_DIR, CA_DIR)
    given = {}
    for kind, path in (('crt', '/tmp/site.crt'), ('key', '/tmp/site.key'), ('ca', '%s/ca.crt' % CA_DIR)):
        given[kind] = tmp_path / ('site.' + kind)
        given[kind].write_text(KDC.file(path).content_string)
    return dict(tls_source='files', tls_certificate_file=str(given['crt']), tls_private_key_file=str(given['key']),
                tls_ca_certificate_file=str(given['ca']))


def test_a_site_certificate_for_another_name_is_refused_before_any_change(tmp_path):
    before = tls_digests()
    refused = converge(**site_certificate(tmp_path, 'mk-other.dfkrb'))
    assert refused.returncode != 0
    message = ' '.join((refused.stdout + refused.stderr).split())
    assert 'The certificate given for %s cannot be used: the certificate lacks the names %s' % (HOST_NAME, HOST_NAME) in message
    assert tls_digests() == before


def test_a_site_certificate_and_key_are_installed_and_not_logged(tmp_path):
    given = site_certificate(tmp_path, HOST_NAME)
    given['tls_names'] = [HOST_NAME]
    result = converge('-vvv', **given)
    assert changed(result) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 1}
    assert HOST.file('%s/host.key' % TLS_DIR).content_string == open(given['tls_private_key_file']).read()
    assert HOST.file('%s/host.crt' % TLS_DIR).content_string == open(given['tls_certificate_file']).read()
    assert_no_tls_secret(result)
    assert changed(converge(**given)) == {'mk-kdc.dfkrb': 0, 'mk-host1.dfkrb': 0}
