# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HttpClient
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import (
    ALL_NODE_STATES, node_facts, read_resourcemanager_facts, resourcemanager_facts)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    RESOURCEMANAGER_URL, FakeHadoop, Reply, captured_json)

INFO, METRICS, NODES = 'rm_cluster_info.json', 'rm_cluster_metrics.json', 'rm_cluster_nodes.json'


def captured_facts():
    return resourcemanager_facts(captured_json(INFO), captured_json(METRICS), captured_json(NODES))


def test_cluster_info():
    info = captured_json(INFO)['clusterInfo']
    facts = captured_facts()
    assert facts['version'] == info['hadoopVersion'] == '3.5.0'
    assert facts['ha_state'] == 'ACTIVE'
    assert facts['state'] == 'STARTED'
    assert facts['cluster_id'] == info['id']
    assert facts['started_on'] == info['startedOn']


def test_node_counts_and_resources():
    metrics = captured_json(METRICS)['clusterMetrics']
    facts = captured_facts()
    assert facts['nodes'] == {'active': 1, 'decommissioning': 0, 'decommissioned': 0, 'lost': 0,
                              'unhealthy': 0, 'rebooted': 0, 'shutdown': 0, 'total': 1}
    assert facts['apps'] == {'running': 0, 'pending': 0, 'completed': metrics['appsCompleted'],
                             'failed': 0, 'killed': 0}
    assert facts['apps']['completed'] == 2
    assert facts['memory_mb'] == {'total': 4096, 'available': 4096, 'allocated': 0}
    assert facts['vcores'] == {'total': metrics['totalVirtualCores'], 'available': 4, 'allocated': 0}


def test_node_list():
    raw, = captured_json(NODES)['nodes']['node']
    node, = captured_facts()['node_list']
    assert node == {
        'id': 'localhost:45454', 'host': 'localhost', 'state': 'RUNNING', 'rack': '/default-rack',
        'http_address': 'localhost:8042', 'last_health_update': raw['lastHealthUpdate'], 'health_report': '',
        'version': '3.5.0', 'containers': 0, 'used_memory_mb': 0, 'available_memory_mb': 4096,
        'used_vcores': 0, 'available_vcores': 4, 'memory_mb': raw['totalResource']['memory'],
        'vcores': raw['totalResource']['vCores'],
    }


def test_a_lost_node_keeps_its_total_resources():
    lost, = [n for n in captured_json('rm_cluster_nodes_all_states_lost.json')['nodes']['node'] if n['state'] == 'LOST']
    facts = node_facts(lost)
    assert facts['available_memory_mb'] == 0
    assert (facts['memory_mb'], facts['vcores']) == (2048, 2)


def test_node_list_is_sorted_and_lists_lost_nodes():
    # Derived: a second, LOST NodeManager copied from the captured one, listed first.
    nodes = captured_json(NODES)
    lost = dict(nodes['nodes']['node'][0], id='a-host:45454', nodeHostName='a-host', state='LOST')
    nodes['nodes']['node'].insert(0, lost)
    nodes['nodes']['node'].reverse()
    facts = resourcemanager_facts(captured_json(INFO), captured_json(METRICS), nodes)
    assert [(n['id'], n['state']) for n in facts['node_list']] == [
        ('a-host:45454', 'LOST'), ('localhost:45454', 'RUNNING')]


def test_no_nodes():
    # Derived: an RM without NodeManagers answers {"nodes": null}.
    assert resourcemanager_facts(captured_json(INFO), captured_json(METRICS), {'nodes': None})['node_list'] == []


def test_read_resourcemanager_facts_asks_for_nodes_in_every_state():
    fake = (FakeHadoop()
            .on('GET', '/ws/v1/cluster/info', Reply.captured(INFO))
            .on('GET', '/ws/v1/cluster/metrics', Reply.captured(METRICS))
            .on('GET', '/ws/v1/cluster/nodes', Reply.captured(NODES)))
    facts = read_resourcemanager_facts(HttpClient(RESOURCEMANAGER_URL, opener=fake))
    assert facts == captured_facts()
    assert [r.path for r in fake.requests] == ['/ws/v1/cluster/info', '/ws/v1/cluster/metrics', '/ws/v1/cluster/nodes']
    states = fake.requests[2].query['states'].split(',')
    assert states == ALL_NODE_STATES.split(',')
    assert {'LOST', 'DECOMMISSIONED', 'UNHEALTHY', 'RUNNING'} <= set(states)
