# -*- coding: utf-8 -*-
"""The settings of an HA nameservice and the names Hadoop accepts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _ha

NAMENODES = [('nn1.example.com', 'nn1'), ('nn2.example.com', 'nn2')]
JOURNALNODES = ['m1.example.com', 'm2.example.com', 'm3.example.com']


def test_hdfs_site_of_a_nameservice():
    assert _ha.hdfs_site('prod', NAMENODES, JOURNALNODES, journal_dir='/var/lib/hadoop/hdfs/journal') == {
        'dfs.nameservices': 'prod',
        'dfs.ha.namenodes.prod': 'nn1,nn2',
        'dfs.namenode.rpc-address.prod.nn1': 'nn1.example.com:8020',
        'dfs.namenode.rpc-address.prod.nn2': 'nn2.example.com:8020',
        'dfs.namenode.http-address.prod.nn1': 'nn1.example.com:9870',
        'dfs.namenode.http-address.prod.nn2': 'nn2.example.com:9870',
        'dfs.namenode.shared.edits.dir': 'qjournal://m1.example.com:8485;m2.example.com:8485;m3.example.com:8485/prod',
        'dfs.journalnode.edits.dir': '/var/lib/hadoop/hdfs/journal',
        'dfs.client.failover.proxy.provider.prod':
            'org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider',
        'dfs.ha.fencing.methods': 'shell(/bin/true)',
        'dfs.ha.automatic-failover.enabled': True,
        'dfs.ha.tail-edits.in-progress': True,
        'dfs.ha.tail-edits.period': '2s',
    }


def test_core_site_names_the_nameservice_and_the_ensemble():
    assert _ha.core_site('prod', 'z1:2181,z2:2181,z3:2181') == {
        'fs.defaultFS': 'hdfs://prod', 'ha.zookeeper.quorum': 'z1:2181,z2:2181,z3:2181'}


def test_yarn_site_of_ha_resourcemanagers():
    settings = _ha.yarn_site('prod', [('m1.example.com', 'rm1'), ('m2.example.com', 'rm2')], 'z1:2181,z2:2181,z3:2181')
    assert settings['yarn.resourcemanager.ha.rm-ids'] == 'rm1,rm2'
    assert settings['yarn.resourcemanager.hostname.rm2'] == 'm2.example.com'
    assert settings['yarn.resourcemanager.webapp.address.rm1'] == 'm1.example.com:8088'
    assert settings['yarn.resourcemanager.cluster-id'] == 'prod'
    assert settings['yarn.resourcemanager.store.class'] == _ha.RM_STATE_STORE
    assert settings['hadoop.zk.address'] == settings['yarn.resourcemanager.zk-address'] == 'z1:2181,z2:2181,z3:2181'
    assert settings['yarn.resourcemanager.recovery.enabled'] is True
    assert not set(_ha.SINGLE_RESOURCEMANAGER_KEYS) & set(settings)


def test_what_keeps_ha_resourcemanagers_from_running():
    assert _ha.resourcemanager_problems([('a', 'rm1'), ('b', 'rm2')], ['z1', 'z2', 'z3']) == []
    assert _ha.resourcemanager_problems([('a', 'rm1'), ('b', 'rm1'), ('c', 'RM3')], ['z1', 'z2']) == [
        "c: yarn_resourcemanager_id 'RM3' must be lower-case letters, digits and hyphens, starting with a letter",
        'yarn_resourcemanager_id rm1 is given to a and b; each ResourceManager needs its own',
        'YARN high availability needs an odd number of ZooKeeper servers, at least 3, in group zookeepers; found 2',
    ]
    assert _ha.resourcemanager_problems([('a', 'rm1')], ['z1', 'z2', 'z3']) == [
        'YARN high availability needs at least 2 ResourceManagers in group resourcemanagers; found 1']


@pytest.mark.parametrize('name', ['prod', 'p', 'data-lake-1'])
def test_good_nameservice_ids(name):
    assert _ha.nameservice_problem(name) is None


@pytest.mark.parametrize('name', ['Prod', 'prod.eu', 'prod_eu', '1prod', 'prod-', '', None, 'a' * 64])
def test_nameservice_ids_hadoop_would_reject(name):
    assert 'is not a lower-case DNS label' in _ha.nameservice_problem(name)


def test_namenode_ids_must_be_set_well_formed_and_distinct():
    assert _ha.namenode_problems(NAMENODES) == []
    assert _ha.namenode_problems([('a', 'nn1'), ('b', 'nn1'), ('c', ''), ('d', 'NN4')]) == [
        'c: hdfs_namenode_id is not set; give each NameNode its own id such as nn1 (the topology inventory sets it '
        'from the number in the host name)',
        "d: hdfs_namenode_id 'NN4' must be lower-case letters, digits and hyphens, starting with a letter",
        'hdfs_namenode_id nn1 is given to a and b; each NameNode needs its own',
    ]


def test_a_sound_nameservice_has_no_problem():
    assert _ha.hdfs_problems('prod', NAMENODES, JOURNALNODES, ['z1', 'z2', 'z3']) == []


def test_what_keeps_a_nameservice_from_running():
    assert _ha.hdfs_problems('prod_eu', NAMENODES[:1], JOURNALNODES[:2], []) == [
        'HDFS high availability needs at least 2 NameNodes in group namenodes; found 1',
        "the nameservice id 'prod_eu' is not a lower-case DNS label (letters, digits and hyphens, starting with a "
        "letter, at most 63): clients use it as the host of hdfs://prod_eu/ URIs and Hadoop splits its configuration "
        "keys at dots; set hadoop_nameservice",
        'HDFS high availability needs an odd number of JournalNodes, at least 3, in group journalnodes; found 2',
        'HDFS high availability needs an odd number of ZooKeeper servers, at least 3, in group zookeepers; found 0',
    ]


def test_a_fresh_journalnode_holds_no_journal():
    from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import bean
    assert _ha.journal_formatted(bean('jn_jmx_JournalNodeInfo_new.json'), 'prod') is False
    assert _ha.journal_formatted({'JournalsStatus': '{"prod":{"Formatted":"true"}}'}, 'prod') is True
