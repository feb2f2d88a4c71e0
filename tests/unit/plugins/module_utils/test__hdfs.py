# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import (
    NameNodeJmx, namenode_facts, read_namenode_facts, safemode_from_info)
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    BEAN, NAMENODE_URL, FakeHadoop, Reply, bean)

# Which captured file holds each bean, per NameNode state. The capture has no
# NameNodeStatus/FSNamesystem for the extension and manual states (the NameNode
# was the same active one), so the normal ones stand in for them.
STATES = {
    'normal': ('nn_jmx_NameNodeStatus.json', 'nn_jmx_FSNamesystemState.json',
               'nn_jmx_FSNamesystem.json', 'nn_jmx_NameNodeInfo.json'),
    'startup': ('nn_jmx_NameNodeStatus_safemode_startup.json', 'nn_jmx_FSNamesystemState_safemode_startup.json',
                'nn_jmx_FSNamesystem_safemode_startup.json', 'nn_jmx_NameNodeInfo_safemode_startup.json'),
    'extension': ('nn_jmx_NameNodeStatus.json', 'nn_jmx_FSNamesystemState_safemode_extension.json',
                  'nn_jmx_FSNamesystem.json', 'nn_jmx_NameNodeInfo_safemode_extension.json'),
    'manual': ('nn_jmx_NameNodeStatus.json', 'nn_jmx_FSNamesystemState_safemode_manual.json',
               'nn_jmx_FSNamesystem_safemode_manual.json', 'nn_jmx_NameNodeInfo_safemode_manual.json'),
}

# The order namenode_facts takes the beans in.
FACT_ORDER = ('NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo')


def beans(state):
    return [bean(name) for name in STATES[state]]


def test_normal_operation():
    status, state, system, info = beans('normal')
    facts = namenode_facts(status, state, system, info)
    assert facts['version'] == '3.5.0'
    assert info['Version'].startswith(facts['version'] + ', r')
    assert facts['cluster_id'] == info['ClusterId']
    assert facts['block_pool_id'] == info['BlockPoolId']
    assert facts['ha_state'] == 'active'
    assert facts['host_and_port'] == status['HostAndPort']
    assert facts['fs_state'] == 'Operational'
    assert facts['safemode'] == {'on': False, 'message': ''}
    assert facts['upgrade_finalized'] is True
    assert facts['rolling_upgrade'] is None
    assert facts['datanodes']['live'] == state['NumLiveDataNodes'] == 1
    assert facts['datanodes']['dead'] == 0
    assert facts['blocks'] == {
        'total': system['BlocksTotal'], 'missing': 0, 'corrupt': 0, 'under_replicated': 0,
        'low_redundancy': 0, 'pending_reconstruction': 0, 'missing_replication_one': 0}
    assert facts['blocks']['total'] == 2
    assert facts['capacity']['total'] == system['CapacityTotal']
    assert facts['capacity']['non_dfs_used'] == info['NonDfsUsedSpace']
    assert facts['files_total'] == system['FilesTotal']
    assert facts['last_written_transaction_id'] == system['LastWrittenTransactionId']
    assert facts['dead_nodes'] == [] and facts['decommissioning_nodes'] == []


def test_live_nodes_are_parsed_from_the_json_string():
    info = bean('nn_jmx_NameNodeInfo.json')
    assert isinstance(info['LiveNodes'], str)
    (name, raw), = json.loads(info['LiveNodes']).items()
    node, = namenode_facts(*beans('normal'))['live_nodes']
    assert node['name'] == name == 'localhost:9866'
    assert node['host'] == 'localhost'
    assert node['admin_state'] == raw['adminState'] == 'In Service'
    assert node['info_address'] == raw['infoAddr']
    assert node['transfer_address'] == raw['xferaddr']
    assert node['blocks'] == raw['numBlocks']
    assert node['capacity'] == raw['capacity']
    assert node['version'] == '3.5.0'
    assert node['failed_volumes'] == 0


def test_dead_datanode():
    # Derived: the captured normal beans with the one DataNode moved from
    # LiveNodes to DeadNodes and the counts changed to match.
    status, state, system, info = beans('normal')
    live = json.loads(info['LiveNodes'])
    info.update(LiveNodes='{}', DeadNodes=json.dumps(
        dict((k, {'lastContact': 660, 'decommissioned': False, 'adminState': v['adminState'],
                  'xferaddr': v['xferaddr']}) for k, v in live.items())))
    state.update(NumLiveDataNodes=0, NumDeadDataNodes=1)
    facts = namenode_facts(status, state, system, info)
    assert facts['datanodes']['live'] == 0
    assert facts['datanodes']['dead'] == 1
    assert facts['live_nodes'] == []
    assert facts['dead_nodes'] == [{'name': 'localhost:9866', 'host': 'localhost', 'admin_state': 'In Service',
                                    'last_contact': 660, 'transfer_address': '127.0.0.1:9866',
                                    'decommissioned': False}]


@pytest.mark.parametrize('state, live, fs_state, phrase', [
    ('startup', 0, 'safeMode', 'needs additional 1 blocks to reach the threshold'),
    ('extension', 1, 'safeMode', 'In safe mode extension'),
    ('manual', 1, 'safeMode', 'It was turned on manually'),
    ('normal', 1, 'Operational', ''),
])
def test_safemode_states(state, live, fs_state, phrase):
    b = beans(state)
    facts = namenode_facts(*b)
    assert facts['safemode']['on'] is (state != 'normal')
    assert facts['safemode']['message'] == b[3]['Safemode'].strip()
    assert phrase in facts['safemode']['message']
    assert facts['fs_state'] == fs_state
    assert facts['datanodes']['live'] == live == len(facts['live_nodes'])
    assert facts['cluster_id'] == b[3]['ClusterId']


def test_startup_message_keeps_both_lines():
    message = safemode_from_info(bean('nn_jmx_NameNodeInfo_safemode_startup.json'))['message']
    assert message.splitlines()[1].startswith('The minimum number of live datanodes is not required.')


def test_read_namenode_facts_asks_each_bean():
    fake = FakeHadoop().on_beans(**dict(zip(('NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo'),
                                            STATES['normal'])))
    facts = read_namenode_facts(HttpClient(NAMENODE_URL, opener=fake))
    assert facts == namenode_facts(*beans('normal'))
    assert [r.query for r in fake.requests] == [{'qry': BEAN % n} for n in (
        'NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo')]


def test_a_daemon_without_the_bean_is_refused():
    # Derived: a JMX servlet that has no NameNode bean answers {"beans": []}.
    fake = FakeHadoop().on('GET', '/jmx', Reply.json({'beans': []}))
    with pytest.raises(HadoopHttpError) as e:
        NameNodeJmx(HttpClient(NAMENODE_URL, opener=fake)).bean('NameNodeInfo')
    assert str(e.value) == ('the NameNode at %s has no JMX bean NameNodeInfo (is it a NameNode?)' % NAMENODE_URL)


# The rolling-upgrade captures of an HA pair (nn1 active, nn2 standby): the
# last transaction each wrote or applied, and the rolling upgrade.
@pytest.mark.parametrize('moment', ['before', 'preparing', 'prepared', 'finalized'])
@pytest.mark.parametrize('number', [1, 2])
def test_last_txid_and_rolling_upgrade(moment, number):
    names = ['nn_jmx_%s_upgrade_%s_%d.json' % (name, moment, number) for name in FACT_ORDER]
    facts = namenode_facts(*[bean(name) for name in names])
    info = bean(names[-1])
    assert facts['last_txid'] == int(json.loads(info['JournalTransactionInfo'])['LastAppliedOrWrittenTxId'])
    assert isinstance(facts['last_txid'], int)
    assert facts['rolling_upgrade'] == info['RollingUpgradeStatus']
    assert facts['ha_state'] == ('active' if number == 1 else 'standby')


def test_the_standby_behind_after_finalize():
    def last(number):
        return namenode_facts(*[bean('nn_jmx_%s_upgrade_finalized_%d.json' % (name, number))
                                for name in FACT_ORDER])
    active, standby = last(1), last(2)
    assert active['last_txid'] - standby['last_txid'] == 3
    # The standby had not applied the finalize yet.
    assert active['rolling_upgrade'] is None
    assert standby['rolling_upgrade']['createdRollbackImages'] is True


@pytest.mark.parametrize('journal', [None, '', '{}', '{"MostRecentCheckpointTxId":"0","LastAppliedOrWrittenTxId":""}'])
def test_no_last_txid(journal):
    # Derived: NameNodeInfo without a usable JournalTransactionInfo.
    status, state, system, info = beans('normal')
    info = dict(info, JournalTransactionInfo=journal)
    assert namenode_facts(status, state, system, info)['last_txid'] is None
