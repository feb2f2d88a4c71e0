# -*- coding: utf-8 -*-
"""A cluster in secure mode deployed by playbooks/kdc.yml and site.yml: every
daemon logs in with its keytab, every Hadoop web endpoint is HTTPS only behind
SPNEGO, HDFS refuses clients without a ticket, and the service check passes as
a user principal. Checked with kinit, curl, Hadoop's FsShell and kadmin.local
in the containers. The tests run in file order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import re
import sys

import pytest
import testinfra

SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY = os.path.join(SCENARIO, 'inventory')
sys.path.insert(0, os.path.join(PROJECT, 'molecule', 'common'))
from runs import changed, run_playbook  # noqa: E402 pylint: disable=wrong-import-position
REALM = 'DFSEC.TEST'
MASTER_NAME, WORKER_NAME = 'ms-master.dfsec', 'ms-worker1.dfsec'
SECRETS = ('master-Secret-5e81aa', 'keystore-Secret-0c93f1', 'truststore-Secret-77d2b4')
KEYTABS = '/etc/security/keytabs'
CA = '/etc/security/tls/ca.crt'
HADOOP_CP = ('/etc/hadoop/conf:/opt/hadoop/current/share/hadoop/common/*:/opt/hadoop/current/share/hadoop/common/lib/*'
             ':/opt/hadoop/current/share/hadoop/hdfs/*:/opt/hadoop/current/share/hadoop/hdfs/lib/*')

KDC = testinfra.get_host('docker://ms-kdc')
MASTER = testinfra.get_host('docker://ms-master')
WORKER = testinfra.get_host('docker://ms-worker1')

# Each daemon: container, unit, user, the keytab it reads, its HTTPS and HTTP ports.
DAEMONS = [
    (MASTER, 'hadoop-hdfs-namenode', 'hdfs', 'hdfs.service.keytab', 9871, 9870),
    (MASTER, 'hadoop-yarn-resourcemanager', 'yarn', 'yarn.service.keytab', 8090, 8088),
    (MASTER, 'hadoop-mapreduce-historyserver', 'mapred', 'mapred.service.keytab', 19890, 19888),
    (WORKER, 'hadoop-hdfs-datanode', 'hdfs', 'hdfs.service.keytab', 9865, 9864),
    (WORKER, 'hadoop-yarn-nodemanager', 'yarn', 'yarn.service.keytab', 8044, 8042),
]


def playbook(name, *flags, **extra_vars):
    return run_playbook(PROJECT, INVENTORY, os.path.join(PROJECT, 'playbooks', name), *flags, **extra_vars)


def user_ticket(host):
    """A ticket of the user principal the service check made (spark@REALM) in a cache of its own."""
    host.check_output('su -s /bin/sh spark -c "kinit -k -t %s/spark.user.keytab -c /tmp/test-krb5cc spark@%s"',
                      KEYTABS, REALM)
    return 'KRB5CCNAME=/tmp/test-krb5cc'


def fs(host, *args, env=''):
    return host.run('%s su -s /bin/sh spark -c "java -Xmx256m -XX:TieredStopAtLevel=1 -cp \'%s\' '
                    'org.apache.hadoop.fs.FsShell %s"' % (env, HADOOP_CP, ' '.join(args)))


def principals_kvno():
    """{principal: kvno} of every principal of the realm but the KDC's own."""
    listing = KDC.check_output('kadmin.local -q listprincs')
    found = {}
    for name in re.findall(r'^(\S+@%s)$' % re.escape(REALM), listing, re.M):
        if name.split('/')[0] in ('K', 'kadmin', 'kiprop', 'krbtgt'):
            continue
        out = KDC.check_output('kadmin.local -q "getprinc %s"', name)
        found[name] = max(int(vno) for vno in re.findall(r'^Key: vno (\d+),', out, re.M))
    return found


def keytab_kvnos(host):
    found = set()
    for path in host.check_output('ls %s/*.keytab', KEYTABS).split():
        found.update(re.findall(r'^\s*(\d+) (\S+@\S+)\s*$', host.check_output('klist -k %s', path), re.M))
    return sorted(found)


def test_every_daemon_runs_as_its_user_and_only_that_user_reads_its_keytab():
    for host, unit, user, keytab, dummy, dummy in DAEMONS:
        assert host.service(unit).is_running, unit
        pid = host.check_output('systemctl show -p MainPID --value %s', unit)
        assert host.check_output('ps -o user= -p %s', pid) == user, unit
        path = '%s/%s' % (KEYTABS, keytab)
        assert (host.file(path).user, host.file(path).mode) == (user, 0o400)
        assert host.run('su -s /bin/sh %s -c "klist -k %s"', user, path).rc == 0
        other = 'yarn' if user != 'yarn' else 'hdfs'
        assert host.run('su -s /bin/sh %s -c "klist -k %s"', other, path).rc != 0
    spnego = MASTER.file('%s/spnego.service.keytab' % KEYTABS)
    assert (spnego.user, spnego.group, spnego.mode) == ('root', 'hadoop', 0o440)
    history = MASTER.check_output('systemctl show -p MainPID --value spark-history-server')
    assert MASTER.check_output('ps -o user= -p %s', history) == 'spark'


def test_web_endpoints_are_https_only_and_ask_for_kerberos():
    env = user_ticket(MASTER)
    for host, unit, dummy, dummy, https, http in DAEMONS:
        name = host.check_output('hostname -f')
        base = 'curl -s -o /dev/null -w "%%{http_code}" --cacert %s https://%s:%d/jmx' % (CA, name, https)
        assert MASTER.check_output(base) == '401', unit
        assert MASTER.check_output('%s %s --negotiate -u :' % (env, base)) == '200', unit
        refused = MASTER.run('curl -s -o /dev/null -w "%%{http_code}" http://%s:%d/jmx' % (name, http))
        assert refused.rc != 0 and refused.stdout == '000', unit


def test_hdfs_refuses_a_client_without_a_ticket_and_keeps_data_intact_with_one():
    MASTER.check_output('kdestroy -c /tmp/test-krb5cc || true')
    refused = fs(MASTER, '-ls', '/')
    assert refused.rc != 0 and 'Client cannot authenticate via:[TOKEN, KERBEROS]' in refused.stderr
    env = user_ticket(MASTER)
    MASTER.check_output('head -c 3000000 /dev/urandom > /tmp/secure.bin && chmod 644 /tmp/secure.bin')
    assert fs(MASTER, '-put', '-f', '/tmp/secure.bin', '/tmp/secure.bin', env=env).rc == 0
    got = MASTER.run('%s su -s /bin/sh spark -c "java -Xmx256m -cp \'%s\' org.apache.hadoop.fs.FsShell -cat '
                     '/tmp/secure.bin" | sha256sum' % (env, HADOOP_CP))
    assert got.stdout.split()[0] == MASTER.check_output('sha256sum /tmp/secure.bin').split()[0]


def test_the_service_check_passes_as_a_user_principal():
    result = playbook('service_check.yml')
    assert result.returncode == 0, result.stdout[-4000:]
    assert 'HDFS round trip OK' in result.stdout and 'FINISHED/SUCCEEDED' in result.stdout
    assert re.search(r'Spark history server: .* listed with 1 attempt', result.stdout)


def test_rerun_changes_nothing_keeps_every_key_and_logs_no_secret():
    kvnos = principals_kvno()
    assert 'nn/%s@%s' % (MASTER_NAME, REALM) in kvnos and 'dn/%s@%s' % (WORKER_NAME, REALM) in kvnos
    keytabs = (keytab_kvnos(MASTER), keytab_kvnos(WORKER))
    result = playbook('site.yml', '-vvv')
    assert changed(result) == {'localhost': 0, MASTER_NAME: 0, WORKER_NAME: 0}
    assert principals_kvno() == kvnos and (keytab_kvnos(MASTER), keytab_kvnos(WORKER)) == keytabs
    output = result.stdout + result.stderr
    for secret in SECRETS:
        assert secret not in output
    for host in (MASTER, WORKER):
        for path in host.check_output('ls %s/*.keytab', KEYTABS).split():
            content = base64.b64encode(host.file(path).content).decode()
            assert content[:40] not in output


@pytest.mark.parametrize('extra, message', [
    ({'hadoop_kerberos_realm': 'dfsec.test'}, 'must be upper-case letters, digits, dots and hyphens'),
    ({'tls_truststore_password': 'short'}, 'tls_keystore_password and tls_truststore_password must be set'),
    ({'kerberos_keytabs_kadmin_host': 'kdc.nowhere'}, 'must be a host of the inventory that runs kadmin'),
])
def test_bad_input_is_refused_before_any_host_changes(extra, message):
    before = [host.file('/etc/hadoop/conf/core-site.xml').sha256sum for host in (MASTER, WORKER)]
    refused = playbook('site.yml', **extra)
    assert refused.returncode != 0
    assert message in ' '.join((refused.stdout + refused.stderr).split())
    assert [host.file('/etc/hadoop/conf/core-site.xml').sha256sum for host in (MASTER, WORKER)] == before
    assert not re.search(r'^changed:', refused.stdout, re.M)
