# -*- coding: utf-8 -*-
"""The cluster inventory plugin through Ansible's own inventory and variable
managers: groups, variable precedence, constructed features, the cache, and
errors. Also parses every topology file the repository ships."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import sys

import pytest
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.vars.manager import VariableManager


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

TOPOLOGY = {
    'plugin': 'datafleet.hadoop.cluster',
    'cluster': {
        'name': 'unit',
        'versions': {'hadoop': '3.5.0'},
        'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 8192}},
        'vars': {'ansible_user': 'deploy', 'hdfs_datanode_heap_mb': 1024},
    },
    'profiles': {
        'master': {'services': ['namenode', 'resourcemanager']},
        'worker': {'services': ['datanode', 'nodemanager'], 'vars': {'hdfs_datanode_heap_mb': 2048}},
    },
    'racks': {'/r1': ['w[1:2].example.com']},
    'hosts': {
        'm1.example.com': {'profile': 'master'},
        'w[1:3].example.com': {'profile': 'worker'},
        'w3.example.com': None,
    },
}


def write(tmp_path, data, name='cluster.yml'):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


def topology(**changes):
    data = yaml.safe_load(yaml.safe_dump(TOPOLOGY))
    del data['hosts']['w3.example.com']
    data.update(changes)
    return data


def manager(path):
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[path])
    return inventory, VariableManager(loader=loader, inventory=inventory)


def plugin_parse(path, cache=False):
    plugin = inventory_loader.get('datafleet.hadoop.cluster')
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), path, cache=cache)
    # The inventory manager persists a plugin's cache after parse().
    if plugin.get_option('cache'):
        plugin.update_cache_if_changed()
    return plugin, inventory


def test_groups_hosts_and_precedence(tmp_path):
    inventory, variables = manager(write(tmp_path, topology()))
    groups = inventory.get_groups_dict()
    assert groups['namenodes'] == ['m1.example.com']
    assert groups['datanodes'] == groups['nodemanagers'] == groups['worker'] == [
        'w1.example.com', 'w2.example.com', 'w3.example.com']
    assert sorted(groups['hadoop']) == ['m1.example.com', 'w1.example.com', 'w2.example.com', 'w3.example.com']
    worker = variables.get_vars(host=inventory.get_host('w1.example.com'))
    master = variables.get_vars(host=inventory.get_host('m1.example.com'))
    # profile beats cluster
    assert worker['hdfs_datanode_heap_mb'] == 2048 and master['hdfs_datanode_heap_mb'] == 1024
    assert worker['hadoop_rack'] == '/r1' and 'hadoop_rack' not in master
    assert master['hadoop_namenode_host'] == 'm1.example.com'
    assert master['hadoop_yarn_site'] == {'yarn.nodemanager.resource.memory-mb': 8192}
    assert master['ansible_user'] == 'deploy' and master['hadoop_cluster_name'] == 'unit'


def test_host_vars_beat_profile_vars(tmp_path):
    data = topology()
    data['hosts']['w9.example.com'] = {'profile': 'worker', 'vars': {'hdfs_datanode_heap_mb': 512}}
    inventory, variables = manager(write(tmp_path, data))
    assert variables.get_vars(host=inventory.get_host('w9.example.com'))['hdfs_datanode_heap_mb'] == 512


def test_constructed_features(tmp_path):
    data = topology(
        compose={'ansible_host': "inventory_hostname.split('.')[0]"},
        keyed_groups=[{'key': 'hadoop_rack', 'prefix': 'rack', 'separator': ''}],
        groups={'big_workers': "hdfs_datanode_heap_mb > 1024"})
    inventory, variables = manager(write(tmp_path, data))
    groups = inventory.get_groups_dict()
    assert groups['rack_r1'] == ['w1.example.com', 'w2.example.com']
    assert groups['big_workers'] == ['w1.example.com', 'w2.example.com', 'w3.example.com']
    assert variables.get_vars(host=inventory.get_host('w3.example.com'))['ansible_host'] == 'w3'


def test_group_names_option(tmp_path):
    data = topology(group_names={'datanode': 'hdfs_workers'}, cluster_group='prod', profile_group_prefix='p_')
    inventory, variables = manager(write(tmp_path, data))
    groups = inventory.get_groups_dict()
    assert groups['hdfs_workers'] == groups['p_worker'] == ['w1.example.com', 'w2.example.com', 'w3.example.com']
    assert 'datanodes' not in groups and len(groups['prod']) == 4
    hostvars = variables.get_vars(host=inventory.get_host('w1.example.com'))
    assert hostvars['hadoop_datanode_group'] == 'hdfs_workers' and hostvars['hadoop_cluster_group'] == 'prod'


def test_problems_are_one_parser_error_and_nothing_is_added(tmp_path):
    data = topology()
    data['cluster']['config']['hdfs_site'] = {'dfs.replication': 4}
    data['hosts']['w[1:3'] = {'profile': 'worker'}
    path = write(tmp_path, data)
    plugin = inventory_loader.get('datafleet.hadoop.cluster')
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError) as err:
        plugin.parse(inventory, DataLoader(), path, cache=False)
    text = str(err.value)
    assert '2 problems in the cluster topology' in text
    assert 'dfs.replication is 4 but only 3 hosts run a DataNode' in text
    assert "host pattern 'w[1:3': unbalanced or nested brackets" in text
    assert 'Traceback' not in text
    assert set(inventory.hosts) == set()


def test_bad_host_names_stop_the_plugin(tmp_path):
    data = topology()
    data['hosts']['data_node1.example.com'] = {'profile': 'worker'}
    data['hosts']['DataNode2.Example.com'] = {'profile': 'worker'}
    path = write(tmp_path, data)
    plugin = inventory_loader.get('datafleet.hadoop.cluster')
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError) as err:
        plugin.parse(inventory, DataLoader(), path, cache=False)
    text = str(err.value)
    assert '2 problems in the cluster topology' in text
    assert "host 'data_node1.example.com': '_' is not allowed in a host name" in text
    assert "host 'DataNode2.Example.com': host names must be lower case" in text
    assert "write it as 'datanode2.example.com'" in text
    assert set(inventory.hosts) == set()


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, topology(profile={}))
    with pytest.raises(AnsibleParserError) as err:
        plugin_parse(path)
    assert 'unknown key(s) profile; the keys of datafleet.hadoop.cluster are: ' in str(err.value)
    assert 'profiles' in str(err.value)


def test_any_unparsed_is_failed_stops_the_manager(tmp_path, monkeypatch):
    path = write(tmp_path, topology(hosts={'m1.example.com': {'profile': 'nope'}}))
    monkeypatch.setenv('ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED', 'true')
    from ansible import constants as C
    monkeypatch.setattr(C, 'INVENTORY_ANY_UNPARSED_IS_FAILED', True)
    with pytest.raises(AnsibleError) as err:
        manager(path)
    assert 'Completely failed to parse inventory source %s' % path in str(err.value)


def test_cache_answers_the_same_file_and_not_an_edited_one(tmp_path, monkeypatch):
    data = topology(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    path = write(tmp_path, data)
    _plugin, first = plugin_parse(path, cache=True)
    assert len(first.hosts) == 4

    cluster = sys.modules[type(_plugin).__module__]

    def refuse(*args, **kwargs):
        raise AssertionError('the topology was parsed again instead of read from the cache')
    monkeypatch.setattr(cluster, 'Topology', refuse)
    _plugin, second = plugin_parse(path, cache=True)
    assert sorted(second.hosts) == sorted(first.hosts)
    assert second.get_host('w1.example.com').vars['hadoop_rack'] == '/r1'

    data['hosts']['w4.example.com'] = {'profile': 'worker'}
    write(tmp_path, data)
    with pytest.raises(AssertionError):
        plugin_parse(path, cache=True)


def test_verify_file(tmp_path):
    plugin = inventory_loader.get('datafleet.hadoop.cluster')
    assert plugin.verify_file(write(tmp_path, topology()))
    assert not plugin.verify_file(write(tmp_path, topology(), name='cluster.ini'))


SHIPPED = sorted(glob.glob(os.path.join(ROOT, 'inventories', '*', 'cluster.yml'))
                 + glob.glob(os.path.join(ROOT, 'molecule', '*', 'inventory*', 'cluster.yml')))


@pytest.mark.parametrize('path', SHIPPED, ids=[os.path.relpath(p, ROOT) for p in SHIPPED])
def test_shipped_topologies_parse(path):
    _plugin, inventory = plugin_parse(path)
    assert inventory.groups['namenodes'].get_hosts() and inventory.groups['datanodes'].get_hosts()
