# -*- coding: utf-8 -*-
"""The collection as a user installs it: built into a tarball, installed
into a directory of its own, and run from the example playbook of
docs/playbooks.md against an inventory with other group names. On the
converged scenario that run must change nothing and restart nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import subprocess

import yaml

from conftest import CONTAINERS, HOSTVARS, INVENTORY_DIR, PROJECT, ansible_env, inventory_list
from test_bad_input import snapshot

# The example's groups, by the collection's default group names.
RENAMED = {
    'hadoop': 'analytics',
    'namenodes': 'analytics_hdfs_master',
    'datanodes': 'analytics_storage',
    'resourcemanagers': 'analytics_yarn_master',
    'historyservers': 'analytics_yarn_master',
    'nodemanagers': 'analytics_compute',
    'spark_clients': 'analytics_edge',
    'spark_historyservers': 'analytics_edge',
    'zookeepers': 'analytics_coordination',
}
MAPPING = {
    'hadoop_cluster_group': 'analytics',
    'hadoop_namenode_group': 'analytics_hdfs_master',
    'hadoop_datanode_group': 'analytics_storage',
    'hadoop_resourcemanager_group': 'analytics_yarn_master',
    'hadoop_historyserver_group': 'analytics_yarn_master',
    'hadoop_nodemanager_group': 'analytics_compute',
    'hadoop_spark_client_group': 'analytics_edge',
    'hadoop_spark_history_group': 'analytics_edge',
    'hadoop_zookeeper_group': 'analytics_coordination',
}


def run(argv, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, (' '.join(argv), (result.stdout + result.stderr)[-3000:])
    return result


def hand_written_inventory(path):
    """The scenario's hosts and variables (as its topology gives them), in the example's groups."""
    listed = inventory_list(INVENTORY_DIR)

    def members(group):
        body = listed.get(group) or {}
        found = set(body.get('hosts') or [])
        for child in body.get('children') or []:
            found |= members(child)
        return found

    groups = {}
    for group, name in RENAMED.items():
        groups.setdefault(name, {'hosts': {}})
        for host in members(group):
            groups[name]['hosts'][host] = None
    hosts = dict((name, dict(values, **MAPPING)) for name, values in HOSTVARS.items())
    # The cluster's variables for the controller's play too (localhost is in
    # no group), without the hosts' connection settings.
    namenode, = members('namenodes')
    common = dict((k, v) for k, v in HOSTVARS[namenode].items() if not k.startswith('ansible_'))
    inventory = {'all': {'hosts': hosts, 'children': groups, 'vars': dict(common, **MAPPING)}}
    path.write_text(yaml.safe_dump(inventory))
    return str(path)


def test_the_installed_collection_runs_from_an_own_playbook_with_other_group_names(tmp_path):
    run(['ansible-galaxy', 'collection', 'build', '--output-path', str(tmp_path), PROJECT], cwd=str(tmp_path))
    tarball, = glob.glob(str(tmp_path / 'datafleet-hadoop-*.tar.gz'))
    # Its dependencies come with the ansible package; nothing is fetched.
    run(['ansible-galaxy', 'collection', 'install', '--no-deps', '--force', '-p', str(tmp_path / 'collections'), tarball],
        cwd=str(tmp_path))
    installed = tmp_path / 'collections' / 'ansible_collections' / 'datafleet' / 'hadoop'
    assert (installed / 'roles' / 'daemon').is_dir() and not (installed / 'molecule').exists()
    inventory = hand_written_inventory(tmp_path / 'inventory.yml')
    before = snapshot()
    env = dict(ansible_env(), ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'))
    result = run(['ansible-playbook', '-i', inventory, os.path.join(PROJECT, 'docs', 'examples', 'own_playbook.yml')],
                 env=env, cwd=str(tmp_path))
    # The roles ran from the installed copy, not from this checkout.
    assert str(installed) in run(['ansible-doc', 'datafleet.hadoop.daemon_info'], env=env,
                                 cwd=str(tmp_path)).stdout
    recap = result.stdout.split('PLAY RECAP')[-1]
    assert set(re.findall(r'(\S+)\s+: ok=\d+\s+changed=(\d+)', recap)) >= set((n, '0') for n in CONTAINERS)
    assert snapshot() == before
    # The hadoop role on its own, with nothing before it in the play: it checks
    # the hosts and computes their configuration itself, and changes nothing.
    alone = tmp_path / 'hadoop_alone.yml'
    alone.write_text(yaml.safe_dump([{'name': 'Hadoop alone', 'hosts': 'analytics',
                                      'roles': [{'role': 'datafleet.hadoop.hadoop'}]}]))
    result = run(['ansible-playbook', '-i', inventory, str(alone)], env=env, cwd=str(tmp_path))
    assert 'TASK [datafleet.hadoop.preflight : Compute the sizing plan]' in result.stdout
    recap = result.stdout.split('PLAY RECAP')[-1]
    assert set(re.findall(r'(\S+)\s+: ok=\d+\s+changed=(\d+)', recap)) >= set((n, '0') for n in CONTAINERS)
    assert snapshot() == before
