# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    BEAN, NAMENODE_URL, Reply, bean, captured_bytes)

NORMAL = dict(NameNodeStatus='nn_jmx_NameNodeStatus.json', FSNamesystemState='nn_jmx_FSNamesystemState.json',
              FSNamesystem='nn_jmx_FSNamesystem.json', NameNodeInfo='nn_jmx_NameNodeInfo.json')


def test_facts_from_a_healthy_namenode(hadoop, run_module):
    hadoop.on_beans(**NORMAL)
    result = run_module(hdfs_info, {'namenode_url': NAMENODE_URL})
    info = bean('nn_jmx_NameNodeInfo.json')
    assert result['changed'] is False
    assert 'failed' not in result
    facts = result['hdfs']
    assert facts['cluster_id'] == info['ClusterId']
    assert facts['version'] == info['SoftwareVersion'] == '3.5.0'
    assert facts['datanodes']['live'] == 1
    assert facts['safemode'] == {'on': False, 'message': ''}
    assert [(n['host'], n['admin_state']) for n in facts['live_nodes']] == [('localhost', 'In Service')]
    assert [r.query['qry'] for r in hadoop.requests] == [BEAN % n for n in (
        'NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo')]
    assert all(r.method == 'GET' and r.url.startswith(NAMENODE_URL + '/jmx?') for r in hadoop.requests)


def test_facts_in_startup_safemode(hadoop, run_module):
    hadoop.on_beans(NameNodeStatus='nn_jmx_NameNodeStatus_safemode_startup.json',
                    FSNamesystemState='nn_jmx_FSNamesystemState_safemode_startup.json',
                    FSNamesystem='nn_jmx_FSNamesystem_safemode_startup.json',
                    NameNodeInfo='nn_jmx_NameNodeInfo_safemode_startup.json')
    facts = run_module(hdfs_info, {'namenode_url': NAMENODE_URL}, check_mode=True)['hdfs']
    assert facts['safemode']['on'] is True
    assert facts['safemode']['message'] == bean('nn_jmx_NameNodeInfo_safemode_startup.json')['Safemode']
    assert facts['fs_state'] == 'safeMode'
    assert facts['datanodes']['live'] == 0 and facts['live_nodes'] == []


def test_unreachable_namenode(hadoop, run_module):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    result = run_module(hdfs_info, {'namenode_url': 'http://nn1.example.com:9870/'})
    assert result['failed'] is True
    assert result['msg'].startswith('cannot reach GET http://nn1.example.com:9870/jmx?qry=')
    assert 'Connection refused' in result['msg']
    assert 'exception' not in result and 'Traceback' not in result['msg']


def test_http_error_from_namenode(hadoop, run_module):
    # Derived: the captured RemoteException body served with status 500 for the first bean.
    hadoop.on('GET', '/jmx', Reply.captured('webhdfs_GETFILESTATUS_missing_404.json', 500))
    result = run_module(hdfs_info, {'namenode_url': NAMENODE_URL})
    assert result['failed'] is True
    assert 'answered HTTP 500' in result['msg']
    assert captured_bytes('webhdfs_GETFILESTATUS_missing_404.json').decode().strip() in result['msg']


@pytest.mark.parametrize('missing', sorted(NORMAL))
def test_a_daemon_without_namenode_beans(hadoop, run_module, missing):
    # Derived: one bean answered with {"beans": []}, as a non-NameNode JMX servlet does.
    hadoop.on_beans(**dict(NORMAL, **{missing: Reply.json({'beans': []})}))
    result = run_module(hdfs_info, {'namenode_url': NAMENODE_URL})
    assert result['failed'] is True
    assert result['msg'] == 'the NameNode at %s has no JMX bean %s (is it a NameNode?)' % (NAMENODE_URL, missing)


def test_every_namenode_of_a_nameservice_with_its_state_and_lag(hadoop, run_module):
    """Captured from an HA pair: NameNodeStatus and NameNodeInfo of the active
    (nn1) and the standby (nn2); the facts come from the active one."""
    nn1, nn2 = 'nn1.example.com:9870', 'nn2.example.com:9870'
    for netloc, number in ((nn1, 1), (nn2, 2)):
        hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus_ha_%d.json' % number),
                  qry=BEAN % 'NameNodeStatus', netloc=netloc)
        hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeInfo_ha_%d.json' % number),
                  qry=BEAN % 'NameNodeInfo', netloc=netloc)
    hadoop.on('GET', '/isActive', Reply(200, captured_bytes('nn_isActive_active.txt')), netloc=nn1)
    hadoop.on_beans(FSNamesystemState='nn_jmx_FSNamesystemState.json', FSNamesystem='nn_jmx_FSNamesystem.json')
    facts = run_module(hdfs_info, {'namenode_url': 'http://%s,http://%s' % (nn1, nn2)})['hdfs']
    txid = int(json.loads(bean('nn_jmx_NameNodeInfo_ha_1.json')['JournalTransactionInfo'])['LastAppliedOrWrittenTxId'])
    assert facts['namenodes'] == [
        {'url': 'http://' + nn1, 'state': 'active', 'last_txid': txid, 'lag': 0, 'safemode': '',
         'address': 'http://' + nn1},
        {'url': 'http://' + nn2, 'state': 'standby', 'last_txid': txid, 'lag': 0, 'safemode': '',
         'address': 'http://' + nn2}]
    assert facts['ha_state'] == 'active'
    assert facts['cluster_id'] == bean('nn_jmx_NameNodeInfo_ha_1.json')['ClusterId']


def test_a_namenode_that_does_not_answer_is_listed_without_state(hadoop, run_module):
    nn1, nn2 = 'nn1.example.com:9870', 'nn2.example.com:9870'
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), netloc=nn1)
    hadoop.on('GET', '/isActive', URLError('[Errno 111] Connection refused'), netloc=nn1)
    hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus_ha_2.json'), qry=BEAN % 'NameNodeStatus',
              netloc=nn2)
    hadoop.on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeInfo_ha_2.json'), qry=BEAN % 'NameNodeInfo', netloc=nn2)
    hadoop.on('GET', '/isActive', Reply(405, captured_bytes('nn_isActive_standby.html')), netloc=nn2)
    result = run_module(hdfs_info, {'namenode_url': 'http://%s,http://%s' % (nn1, nn2)})
    assert result['failed'] is True
    assert result['msg'].startswith('no active NameNode')
    assert [(m['state'], m['lag']) for m in result['namenodes']] == [(None, None), ('standby', None)]
