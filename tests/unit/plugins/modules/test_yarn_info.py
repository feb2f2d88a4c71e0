# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import yarn_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import RESOURCEMANAGER_URL, Reply, captured_json


def routes(hadoop):
    for name in ('info', 'metrics', 'nodes'):
        hadoop.on('GET', '/ws/v1/cluster/' + name, Reply.captured('rm_cluster_%s.json' % name))


def test_facts_from_the_resourcemanager(hadoop, run_module):
    routes(hadoop)
    result = run_module(yarn_info, {'resourcemanager_url': RESOURCEMANAGER_URL})
    assert result['changed'] is False
    facts = result['yarn']
    info = captured_json('rm_cluster_info.json')['clusterInfo']
    assert facts['version'] == info['hadoopVersion'] == '3.5.0'
    assert facts['ha_state'] == info['haState'] == 'ACTIVE'
    assert facts['cluster_id'] == info['id']
    assert facts['nodes']['active'] == facts['nodes']['total'] == 1
    assert facts['nodes']['lost'] == 0
    assert [(n['id'], n['state'], n['available_memory_mb']) for n in facts['node_list']] == [
        ('localhost:45454', 'RUNNING', 4096)]
    assert [r.url.split('?')[0] for r in hadoop.requests] == [
        RESOURCEMANAGER_URL + '/ws/v1/cluster/' + n for n in ('info', 'metrics', 'nodes')]


def test_unreachable_resourcemanager(hadoop, run_module):
    hadoop.on('GET', '/ws/v1/cluster/info', URLError('[Errno -2] Name or service not known'))
    result = run_module(yarn_info, {'resourcemanager_url': 'https://rm1.example.com:8090'})
    assert result['failed'] is True
    assert result['msg'] == ('cannot reach GET https://rm1.example.com:8090/ws/v1/cluster/info: '
                             '[Errno -2] Name or service not known')
    assert 'exception' not in result


def test_tls_options_are_used(hadoop, run_module):
    routes(hadoop)
    run_module(yarn_info, {'resourcemanager_url': RESOURCEMANAGER_URL, 'validate_certs': False,
                           'ca_path': '/etc/pki/ca.pem', 'use_gssapi': True, 'timeout': 5})
    assert {(r.options['validate_certs'], r.options['ca_path'], r.options['use_gssapi'], r.options['timeout'])
            for r in hadoop.requests} == {(False, '/etc/pki/ca.pem', True, 5)}


def test_every_resourcemanager_with_its_ha_state(hadoop, run_module):
    rm1, rm2 = 'rm1.example.com:8088', 'rm2.example.com:8088'
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_ha_standby.json'), netloc=rm1)
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_ha_active.json'), netloc=rm2)
    for name in ('metrics', 'nodes'):
        hadoop.on('GET', '/ws/v1/cluster/' + name, Reply.captured('rm_cluster_%s.json' % name), netloc=rm2)
    facts = run_module(yarn_info, {'resourcemanager_url': 'http://%s,http://%s' % (rm1, rm2)})['yarn']
    assert facts['resourcemanagers'] == [{'url': 'http://' + rm1, 'state': 'STANDBY', 'address': 'http://' + rm1},
                                         {'url': 'http://' + rm2, 'state': 'ACTIVE', 'address': 'http://' + rm2}]
    assert facts['ha_state'] == 'ACTIVE'
    assert facts['cluster_id'] == captured_json('rm_cluster_info_ha_active.json')['clusterInfo']['id']
