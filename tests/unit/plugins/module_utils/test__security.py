# -*- coding: utf-8 -*-
"""Hadoop's secure-mode settings, the keytabs of a host, and the input refused."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _security

USERS = {'hdfs': 'hdfs', 'yarn': 'yarn', 'mapred': 'mapred', 'spark': 'spark', 'zookeeper': 'zookeeper'}
DIR = '/etc/security/keytabs'


def _kerberos(**kwargs):
    arguments = dict(realm='EXAMPLE.TEST', keytab_dir=DIR, users=USERS)
    arguments.update(kwargs)
    return _security.settings('kerberos', **arguments)


def test_without_security_every_section_is_empty():
    # The layer joins the defaults of every file: empty, an unsecured
    # cluster's files stay byte for byte as they were.
    assert _security.settings('none', 'EXAMPLE.TEST', DIR, USERS) == {
        'core_site': {}, 'hdfs_site': {}, 'yarn_site': {}, 'mapred_site': {}}
    assert _security.settings('none') == {'core_site': {}, 'hdfs_site': {}, 'yarn_site': {}, 'mapred_site': {}}


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="security must be one of none, kerberos, not 'Kerberos'"):
        _security.settings('Kerberos', 'EXAMPLE.TEST', DIR, USERS)


def test_core_site_turns_on_kerberos_for_rpc_and_the_web_endpoints():
    core_site = _kerberos(signature_secret_file='/etc/hadoop/conf/http-signature.secret')['core_site']
    assert core_site == {
        'hadoop.security.authentication': 'kerberos',
        'hadoop.security.authorization': True,
        'hadoop.rpc.protection': 'privacy',
        'hadoop.security.auth_to_local': (
            'RULE:[2:$1@$0](nn@EXAMPLE\\.TEST)s/.*/hdfs/\n'
            'RULE:[2:$1@$0](dn@EXAMPLE\\.TEST)s/.*/hdfs/\n'
            'RULE:[2:$1@$0](jn@EXAMPLE\\.TEST)s/.*/hdfs/\n'
            'RULE:[2:$1@$0](rm@EXAMPLE\\.TEST)s/.*/yarn/\n'
            'RULE:[2:$1@$0](nm@EXAMPLE\\.TEST)s/.*/yarn/\n'
            'RULE:[2:$1@$0](jhs@EXAMPLE\\.TEST)s/.*/mapred/\n'
            'RULE:[2:$1@$0](spark@EXAMPLE\\.TEST)s/.*/spark/\n'
            'DEFAULT'),
        'hadoop.http.filter.initializers': 'org.apache.hadoop.security.AuthenticationFilterInitializer',
        'hadoop.http.authentication.type': 'kerberos',
        'hadoop.http.authentication.kerberos.principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'hadoop.http.authentication.kerberos.keytab': '/etc/security/keytabs/spnego.service.keytab',
        'hadoop.http.authentication.simple.anonymous.allowed': False,
        'hadoop.http.authentication.signature.secret.file': '/etc/hadoop/conf/http-signature.secret',
    }


def test_hdfs_site_names_each_daemon_s_principal_and_keytab():
    assert _kerberos(data_transfer_protection='privacy')['hdfs_site'] == {
        'dfs.block.access.token.enable': True,
        'dfs.namenode.kerberos.principal': 'nn/_HOST@EXAMPLE.TEST',
        'dfs.namenode.keytab.file': '/etc/security/keytabs/hdfs.service.keytab',
        'dfs.namenode.kerberos.internal.spnego.principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'dfs.web.authentication.kerberos.principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'dfs.web.authentication.kerberos.keytab': '/etc/security/keytabs/spnego.service.keytab',
        'dfs.datanode.kerberos.principal': 'dn/_HOST@EXAMPLE.TEST',
        'dfs.datanode.keytab.file': '/etc/security/keytabs/hdfs.service.keytab',
        'dfs.journalnode.kerberos.principal': 'jn/_HOST@EXAMPLE.TEST',
        'dfs.journalnode.keytab.file': '/etc/security/keytabs/hdfs.service.keytab',
        'dfs.journalnode.kerberos.internal.spnego.principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'dfs.data.transfer.protection': 'privacy',
        'dfs.http.policy': 'HTTPS_ONLY',
    }


def test_datanodes_without_jsvc_get_sasl_and_https_only():
    hdfs_site = _kerberos()['hdfs_site']
    assert hdfs_site['dfs.data.transfer.protection'] == 'authentication'
    assert hdfs_site['dfs.http.policy'] == 'HTTPS_ONLY'
    # SASL's privacy level encrypts the transfers: the older switch stays unset.
    assert 'dfs.encrypt.data.transfer' not in hdfs_site


def test_yarn_and_mapred_site_name_their_principals_and_keytabs():
    settings = _kerberos(rpc_protection='integrity')
    assert settings['core_site']['hadoop.rpc.protection'] == 'integrity'
    assert settings['yarn_site'] == {
        'yarn.resourcemanager.principal': 'rm/_HOST@EXAMPLE.TEST',
        'yarn.resourcemanager.keytab': '/etc/security/keytabs/yarn.service.keytab',
        'yarn.resourcemanager.webapp.spnego-principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'yarn.resourcemanager.webapp.spnego-keytab-file': '/etc/security/keytabs/spnego.service.keytab',
        'yarn.nodemanager.principal': 'nm/_HOST@EXAMPLE.TEST',
        'yarn.nodemanager.keytab': '/etc/security/keytabs/yarn.service.keytab',
        'yarn.nodemanager.webapp.spnego-principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'yarn.nodemanager.webapp.spnego-keytab-file': '/etc/security/keytabs/spnego.service.keytab',
        'yarn.http.policy': 'HTTPS_ONLY',
    }
    assert settings['mapred_site'] == {
        'mapreduce.jobhistory.principal': 'jhs/_HOST@EXAMPLE.TEST',
        'mapreduce.jobhistory.keytab': '/etc/security/keytabs/mapred.service.keytab',
        'mapreduce.jobhistory.webapp.spnego-principal': 'HTTP/_HOST@EXAMPLE.TEST',
        'mapreduce.jobhistory.webapp.spnego-keytab-file': '/etc/security/keytabs/spnego.service.keytab',
        'mapreduce.jobhistory.http.policy': 'HTTPS_ONLY',
    }


def test_without_native_code_log_aggregation_is_off():
    assert _kerberos(native_code=False)['yarn_site']['yarn.log-aggregation-enable'] is False
    # With libhadoop the defaults' value stands.
    assert 'yarn.log-aggregation-enable' not in _kerberos(native_code=True)['yarn_site']


def test_the_signature_secret_is_named_only_when_given():
    assert 'hadoop.http.authentication.signature.secret.file' not in _kerberos()['core_site']


def test_auth_to_local_escapes_the_realm_maps_the_service_users_and_ends_with_default():
    users = dict(USERS, hdfs='hdfs-svc', yarn='yarn2')
    rules = _security.auth_to_local('DATA.CORP.EXAMPLE-1.COM', users).split('\n')
    assert rules[0] == 'RULE:[2:$1@$0](nn@DATA\\.CORP\\.EXAMPLE-1\\.COM)s/.*/hdfs-svc/'
    assert rules[3] == 'RULE:[2:$1@$0](rm@DATA\\.CORP\\.EXAMPLE-1\\.COM)s/.*/yarn2/'
    assert rules[-1] == 'DEFAULT'
    assert len(rules) == 8
    # HTTP and ZooKeeper's principals are no service user's.
    assert not [rule for rule in rules if 'HTTP@' in rule or 'zookeeper@' in rule]


def test_a_master_gets_one_keytab_per_service_user_and_the_http_keytab():
    assert _security.keytabs(['namenode', 'resourcemanager', 'historyserver', 'spark_history'], 'm1.example.test',
                             'EXAMPLE.TEST', DIR, USERS, 'hadoop') == [
        {'path': '/etc/security/keytabs/hdfs.service.keytab', 'principals': ['nn/m1.example.test@EXAMPLE.TEST'],
         'owner': 'hdfs', 'group': 'hadoop', 'mode': '0400'},
        {'path': '/etc/security/keytabs/mapred.service.keytab', 'principals': ['jhs/m1.example.test@EXAMPLE.TEST'],
         'owner': 'mapred', 'group': 'hadoop', 'mode': '0400'},
        {'path': '/etc/security/keytabs/spark.service.keytab', 'principals': ['spark/m1.example.test@EXAMPLE.TEST'],
         'owner': 'spark', 'group': 'hadoop', 'mode': '0400'},
        {'path': '/etc/security/keytabs/spnego.service.keytab', 'principals': ['HTTP/m1.example.test@EXAMPLE.TEST'],
         'owner': 'root', 'group': 'hadoop', 'mode': '0440'},
        {'path': '/etc/security/keytabs/yarn.service.keytab', 'principals': ['rm/m1.example.test@EXAMPLE.TEST'],
         'owner': 'yarn', 'group': 'hadoop', 'mode': '0400'},
    ]


def test_a_worker_gets_the_hdfs_yarn_and_http_keytabs():
    assert _security.keytabs(['datanode', 'nodemanager'], 'w7.example.test', 'EXAMPLE.TEST', '/etc/keytabs/',
                             dict(USERS, yarn='yarn-svc'), 'hadoop') == [
        {'path': '/etc/keytabs/hdfs.service.keytab', 'principals': ['dn/w7.example.test@EXAMPLE.TEST'],
         'owner': 'hdfs', 'group': 'hadoop', 'mode': '0400'},
        {'path': '/etc/keytabs/spnego.service.keytab', 'principals': ['HTTP/w7.example.test@EXAMPLE.TEST'],
         'owner': 'root', 'group': 'hadoop', 'mode': '0440'},
        {'path': '/etc/keytabs/yarn.service.keytab', 'principals': ['nm/w7.example.test@EXAMPLE.TEST'],
         'owner': 'yarn-svc', 'group': 'hadoop', 'mode': '0400'},
    ]


def test_an_ha_master_shares_one_hdfs_keytab_between_its_hdfs_daemons():
    # The failover controller logs in as the NameNode: nn once.
    keytabs = _security.keytabs(['namenode', 'zookeeper', 'journalnode', 'zkfc'], 'M2.Example.Test', 'EXAMPLE.TEST',
                                DIR, USERS, 'hadoop')
    assert keytabs == [
        {'path': '/etc/security/keytabs/hdfs.service.keytab',
         'principals': ['jn/m2.example.test@EXAMPLE.TEST', 'nn/m2.example.test@EXAMPLE.TEST'],
         'owner': 'hdfs', 'group': 'hadoop', 'mode': '0400'},
        {'path': '/etc/security/keytabs/spnego.service.keytab', 'principals': ['HTTP/m2.example.test@EXAMPLE.TEST'],
         'owner': 'root', 'group': 'hadoop', 'mode': '0440'},
        {'path': '/etc/security/keytabs/zookeeper.service.keytab',
         'principals': ['zookeeper/m2.example.test@EXAMPLE.TEST'], 'owner': 'zookeeper', 'group': 'hadoop',
         'mode': '0400'},
    ]


def test_hosts_without_a_hadoop_web_endpoint_get_no_http_keytab():
    assert [k['path'] for k in _security.keytabs(['zookeeper'], 'z1', 'EXAMPLE.TEST', DIR, USERS, 'hadoop')] == [
        '/etc/security/keytabs/zookeeper.service.keytab']
    # Spark 4's history server cannot run Hadoop's SPNEGO filter.
    assert [k['path'] for k in _security.keytabs(['spark_history'], 'h', 'EXAMPLE.TEST', DIR, USERS, 'hadoop')] == [
        '/etc/security/keytabs/spark.service.keytab']
    assert _security.keytabs([], 'c1', 'EXAMPLE.TEST', DIR, USERS, 'hadoop') == []


def test_an_unknown_daemon_or_a_missing_user_is_refused():
    with pytest.raises(ValueError, match="'spark_client' is not a daemon with a Kerberos principal"):
        _security.keytabs(['spark_client'], 'c1', 'EXAMPLE.TEST', DIR, USERS, 'hadoop')
    with pytest.raises(ValueError, match='no user given for the mapred service'):
        _security.keytabs(['historyserver'], 'm1', 'EXAMPLE.TEST', DIR, {'hdfs': 'hdfs'}, 'hadoop')


def test_the_default_variables_have_no_problems():
    assert _security.problems('none', '', '/etc/security/keytabs') == []
    assert _security.problems('none', 'lower.case', 'relative') == []
    assert _security.problems('kerberos', 'EXAMPLE.TEST', '/etc/security/keytabs') == []
    assert _security.problems('kerberos', 'CORP-1.EXAMPLE.COM', '/k') == []


@pytest.mark.parametrize('security, realm, keytab_dir, expected', [
    ('kerb', 'EXAMPLE.TEST', '/k', ["hadoop_security is 'kerb'; it must be one of none, kerberos"]),
    ('kerberos', '', '/k', ['hadoop_security is kerberos but hadoop_kerberos_realm is empty; set it to the realm '
                            'of the KDC, such as EXAMPLE.COM']),
    ('kerberos', 'example.test', '/k', [
        "hadoop_kerberos_realm 'example.test' must be upper-case letters, digits, dots and hyphens, starting and "
        "ending with a letter or digit (realm names are case-sensitive, and the service principals and auth_to_local "
        "rules name it as given); set hadoop_kerberos_realm to EXAMPLE.TEST, and the KDC's realm to the same name"]),
    ('kerberos', 'EXAMPLE TEST', '/k', [
        "hadoop_kerberos_realm 'EXAMPLE TEST' must be upper-case letters, digits, dots and hyphens, starting and "
        "ending with a letter or digit (realm names are case-sensitive, and the service principals and auth_to_local "
        "rules name it as given); set hadoop_kerberos_realm to a name such as EXAMPLE.COM, and the KDC's realm to "
        "the same name"]),
    ('kerberos', 'EXAMPLE.TEST', 'etc/keytabs', [
        "hadoop_keytab_dir 'etc/keytabs' must be an absolute path, such as /etc/security/keytabs"]),
])
def test_problems(security, realm, keytab_dir, expected):
    assert _security.problems(security, realm, keytab_dir) == expected


@pytest.mark.parametrize('realm', ['.EXAMPLE.TEST', 'EXAMPLE.TEST.', 'EXAMPLE_TEST', 'Example.Test', 'EXAMPLE.TEST/'])
def test_realms_hadoop_cannot_name_are_refused(realm):
    assert len(_security.problems('kerberos', realm, '/k')) == 1
