# -*- coding: utf-8 -*-
"""The live inventory plugin against payloads captured from a real cluster:
state groups, host variables, HA endpoint choice, combination with the
topology plugin, and unreachable endpoints."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
from urllib.error import URLError

import pytest
import yaml

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader


from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import BEAN, FakeHadoop, Reply, captured_json

NN1, NN2 = 'http://nn1.example.com:9870', 'http://nn2.example.com:9870'
RM1 = 'http://rm1.example.com:8088'
W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'


class Network(object):
    """open_url over several daemons: each host:port has its own FakeHadoop."""

    def __init__(self):
        self.daemons = {}

    def daemon(self, url):
        return self.daemons.setdefault(url.split('//', 1)[1], FakeHadoop())

    def __call__(self, url, **kwargs):
        netloc = url.split('//', 1)[1].split('/', 1)[0]
        if netloc not in self.daemons:
            raise URLError('[Errno 111] Connection refused')
        return self.daemons[netloc](url, **kwargs)


def namenode(network, url, info, state='nn_jmx_NameNodeStatus.json'):
    fake = network.daemon(url)
    status = Reply.captured(state) if isinstance(state, str) else state
    fake.on('GET', '/jmx', status, qry=BEAN % 'NameNodeStatus')
    fake.on('GET', '/jmx', Reply.captured(info) if isinstance(info, str) else info, qry=BEAN % 'NameNodeInfo')
    return fake


def resourcemanager(network, url, nodes, info='rm_cluster_info.json'):
    fake = network.daemon(url)
    fake.on('GET', '/ws/v1/cluster/info', Reply.captured(info) if isinstance(info, str) else info)
    fake.on('GET', '/ws/v1/cluster/nodes', Reply.captured(nodes) if isinstance(nodes, str) else nodes)
    return fake


@pytest.fixture
def network(monkeypatch):
    net = Network()
    http = sys.modules.get('ansible_collections.datafleet.hadoop.plugins.module_utils._http')
    if http is None:
        inventory_loader.get('datafleet.hadoop.live')
        http = sys.modules['ansible_collections.datafleet.hadoop.plugins.module_utils._http']
    monkeypatch.setattr(http, 'open_url', net)
    return net


def write(tmp_path, data, name='live.yml'):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


def parse(path, inventory=None):
    plugin = inventory_loader.get('datafleet.hadoop.live')
    inventory = inventory or InventoryData()
    plugin.parse(inventory, DataLoader(), path, cache=False)
    return inventory


def members(inventory, group):
    return sorted(h.name for h in inventory.groups[group].get_hosts())


def test_states_from_a_decommission_and_yarn(tmp_path, network):
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_decommissioning_1.json')
    resourcemanager(network, RM1, 'rm_cluster_nodes_all_states_decommissioned.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1],
                                 'resourcemanager_urls': [RM1]}))
    assert members(inv, 'hdfs_live') == [W1, W2, W3]
    assert members(inv, 'hdfs_decommissioning') == [W1]
    assert members(inv, 'hdfs_in_service') == [W2, W3]
    assert members(inv, 'hdfs_dead') == [] and members(inv, 'hdfs_decommissioned') == []
    assert members(inv, 'yarn_running') == [W1, W2]
    assert members(inv, 'yarn_decommissioned') == [W3]
    assert members(inv, 'yarn_lost') == []
    hdfs = inv.get_host(W1).vars['live_hdfs']
    raw = json.loads(captured_json('nn_jmx_NameNodeInfo_decommissioning_1.json')['beans'][0]['LiveNodes'])
    node = raw[W1 + ':9866']
    assert hdfs['state'] == 'live' and hdfs['admin_state'] == 'Decommission In Progress'
    assert hdfs['last_contact'] == node['lastContact'] and hdfs['version'] == node['version']
    assert hdfs['used_percent'] == round(100.0 * node['used'] / node['capacity'], 1)
    yarn = inv.get_host(W3).vars['live_yarn']
    assert yarn['state'] == 'DECOMMISSIONED' and yarn['host'] == W3
    assert inv.groups['all'].vars['live_inventory_errors'] == []


def test_a_stopped_worker_is_dead_and_lost_then_returns(tmp_path, network):
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_dead.json')
    resourcemanager(network, RM1, 'rm_cluster_nodes_all_states_lost.json', info='rm_cluster_info_lost.json')
    path = write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1], 'resourcemanager_urls': [RM1]})
    inv = parse(path)
    assert members(inv, 'hdfs_dead') == [W2] and members(inv, 'hdfs_live') == [W1]
    assert members(inv, 'hdfs_in_service') == [W1]
    assert members(inv, 'yarn_lost') == [W2] and members(inv, 'yarn_running') == [W1]
    dead = inv.get_host(W2).vars['live_hdfs']
    raw = json.loads(captured_json('nn_jmx_NameNodeInfo_dead.json')['beans'][0]['DeadNodes'])[W2 + ':9866']
    assert dead['state'] == 'dead' and dead['last_contact'] == raw['lastContact']
    assert dead['admin_state'] == 'In Service' and dead['rack'] == raw['location']
    assert inv.get_host(W2).vars['live_yarn']['state'] == 'LOST'

    network.daemons.clear()
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_returned.json')
    resourcemanager(network, RM1, 'rm_cluster_nodes_all_states_returned.json')
    inv = parse(path)
    assert members(inv, 'hdfs_live') == [W1, W2] and members(inv, 'hdfs_dead') == []
    assert members(inv, 'yarn_running') == [W1, W2] and members(inv, 'yarn_lost') == []


def test_a_dead_decommissioned_node_is_not_in_dead(tmp_path, network):
    # The captured dead entry, as it reads once the node was decommissioned before it stopped.
    data = captured_json('nn_jmx_NameNodeInfo_dead.json')
    dead = json.loads(data['beans'][0]['DeadNodes'])
    dead[W2 + ':9866'].update(decommissioned=True, adminState='Decommissioned')
    data['beans'][0]['DeadNodes'] = json.dumps(dead)
    namenode(network, NN1, Reply.json(data))
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]}))
    assert members(inv, 'hdfs_dead') == [] and members(inv, 'hdfs_decommissioned') == [W2]
    assert inv.get_host(W2).vars['live_hdfs']['state'] == 'dead'


def test_a_namenode_without_the_bean(tmp_path, network):
    namenode(network, NN1, 'nn_jmx_missing_bean.json')
    with pytest.raises(AnsibleParserError) as err:
        parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]}))
    assert 'has no JMX bean NameNodeInfo (is it a NameNode?)' in str(err.value)


def test_maintenance_and_decommissioned(tmp_path, network):
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_maintenance_3.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]}))
    assert members(inv, 'hdfs_in_maintenance') == [W2]
    assert 'yarn_running' not in inv.groups  # YARN was not asked

    network.daemons.clear()
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_decommissioned.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]}))
    assert members(inv, 'hdfs_decommissioned') == [W1] and members(inv, 'hdfs_live') == [W1, W2, W3]


def test_ha_asks_the_active_namenode(tmp_path, network):
    standby = captured_json('nn_jmx_NameNodeStatus.json')
    standby['beans'][0]['State'] = 'standby'
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_maintenance_3.json', state=Reply.json(standby))
    namenode(network, NN2, 'nn_jmx_NameNodeInfo_decommissioned.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1, NN2], 'add_hosts': True}))
    assert members(inv, 'hdfs_decommissioned') == [W1]
    assert network.daemon(NN1).calls() == [('GET', None)]  # status only
    # The masters by their HA state.
    assert members(inv, 'hdfs_namenode_active') == ['nn2.example.com']
    assert members(inv, 'hdfs_namenode_standby') == ['nn1.example.com']

    # None active: the first that answers.
    network.daemons.pop('nn2.example.com:9870')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN2, NN1]}))
    assert members(inv, 'hdfs_in_maintenance') == [W2]


def test_unreachable_fails_with_the_url_and_the_fix(tmp_path, network):
    path = write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]})
    with pytest.raises(AnsibleParserError) as err:
        parse(path)
    text = str(err.value)
    assert text.startswith('datafleet.hadoop.live: no NameNode answered: cannot reach GET '
                           'http://nn1.example.com:9870/jmx?qry=Hadoop%3Aservice%3DNameNode%2Cname%3DNameNodeStatus')
    assert 'Connection refused' in text
    assert 'Check namenode_urls (http://nn1.example.com:9870), that the NameNode runs' in text
    assert 'Traceback' not in text


def test_unreachable_warns_and_flags_when_lenient(tmp_path, network):
    resourcemanager(network, RM1, 'rm_cluster_nodes_all_states_3_running.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1],
                                 'resourcemanager_urls': [RM1], 'on_unreachable': 'warn'}))
    errors = inv.groups['all'].vars['live_inventory_errors']
    assert len(errors) == 1 and errors[0].startswith('no NameNode answered: cannot reach GET http://nn1.example.com')
    assert 'hdfs_live' not in inv.groups
    assert members(inv, 'yarn_running') == [W1, W2, W3]


def test_a_bad_answer_is_an_error_not_a_traceback(tmp_path, network):
    fake = network.daemon(NN1)
    fake.on('GET', '/jmx', Reply(500, b'<html>Server Error</html>'))
    with pytest.raises(AnsibleParserError) as err:
        parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1]}))
    assert 'answered HTTP 500' in str(err.value)


def test_no_endpoint_at_all(tmp_path, network):
    with pytest.raises(AnsibleParserError) as err:
        parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live'}))
    assert 'no NameNode or ResourceManager to ask' in str(err.value)


def test_unknown_key(tmp_path, network):
    with pytest.raises(AnsibleParserError) as err:
        parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_url': [NN1]}))
    assert 'unknown key(s) namenode_url' in str(err.value)


def test_endpoints_from_the_topology_and_add_hosts(tmp_path, network):
    topology = {
        'plugin': 'datafleet.hadoop.cluster',
        'cluster': {'name': 'sandbox', 'config': {'hdfs_site': {'dfs.replication': 2}}},
        'profiles': {'master': {'services': ['namenode', 'resourcemanager']},
                     'worker': {'services': ['datanode', 'nodemanager']}},
        'hosts': {'nn1.example.com': {'profile': 'master'}, 'df-worker[1:2].dfsandbox': {'profile': 'worker'}},
    }
    inventory = InventoryData()
    inventory_loader.get('datafleet.hadoop.cluster').parse(
        inventory, DataLoader(), write(tmp_path, topology, 'cluster.yml'), cache=False)
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_decommissioned.json')
    resourcemanager(network, 'http://nn1.example.com:8088', 'rm_cluster_nodes_all_states_decommissioned.json')
    parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'add_hosts': False}), inventory)
    # df-worker3 is not in the topology and is left out.
    assert members(inventory, 'hdfs_live') == [W1, W2]
    assert members(inventory, 'hdfs_decommissioned') == [W1]
    assert members(inventory, 'yarn_decommissioned') == []
    assert inventory.get_host(W1).vars['hadoop_profile'] == 'worker'
    assert W3 not in inventory.hosts


def test_constructed_on_live_variables(tmp_path, network):
    namenode(network, NN1, 'nn_jmx_NameNodeInfo_decommissioning_1.json')
    inv = parse(write(tmp_path, {'plugin': 'datafleet.hadoop.live', 'namenode_urls': [NN1],
                                 'groups': {'leaving': "live_hdfs.admin_state != 'In Service'"}}))
    assert members(inv, 'leaving') == [W1]
