# -*- coding: utf-8 -*-
"""The live inventory (datafleet.hadoop.live) over the running scenario,
combined with its topology: a DataNode and a NodeManager stopped with
systemctl land in hdfs_dead and yarn_lost, --limit hdfs_dead targets exactly
that host, and both return to hdfs_live / yarn_running when started again.

The scenario's topology shortens the NameNode's dead-node interval (40 s) and
the ResourceManager's NodeManager expiry (30 s); the waits poll."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import subprocess
import time

import yaml

from conftest import CONTAINERS, GROUPS, INVENTORY_DIR, PROJECT, ansible_env, inventory_list

# The master container publishes its web ports on these local ports.
LIVE = {
    'plugin': 'datafleet.hadoop.live',
    'namenode_urls': ['http://127.0.0.1:29870'],
    'resourcemanager_urls': ['http://127.0.0.1:28088'],
    'add_hosts': False,
    'timeout': 10,
}
STATE_GROUPS = ('hdfs_live', 'hdfs_dead', 'hdfs_in_service', 'yarn_running', 'yarn_lost')


def live_inventory(tmp_path):
    path = tmp_path / 'live.yml'
    path.write_text(yaml.safe_dump(LIVE))
    return str(path)


def read(live):
    data = inventory_list(INVENTORY_DIR, live)
    groups = dict((name, sorted((data.get(name) or {}).get('hosts', []))) for name in STATE_GROUPS)
    return groups, data['_meta']['hostvars']


def wait_for(live, predicate, timeout=240):
    deadline = time.time() + timeout
    while True:
        groups, hostvars = read(live)
        if predicate(groups):
            return groups, hostvars
        assert time.time() < deadline, 'state not reached in %d s; last: %s' % (timeout, groups)
        time.sleep(5)


def systemctl(container, action, *units):
    subprocess.run(['docker', 'exec', container, 'systemctl', action] + list(units), check=True)


def limited_hosts(live, pattern):
    out = subprocess.run(['ansible', '-i', INVENTORY_DIR, '-i', live, pattern, '--list-hosts'], capture_output=True,
                         text=True, env=ansible_env(), cwd=PROJECT, check=True).stdout
    return sorted(line.strip() for line in out.splitlines()[1:] if line.strip())


def test_stopped_daemons_are_dead_and_lost_and_return(tmp_path):
    live = live_inventory(tmp_path)
    workers = GROUPS['datanodes']
    victim, other = workers[-1], workers[0]
    groups, hostvars = read(live)
    assert groups['hdfs_live'] == groups['hdfs_in_service'] == workers
    assert groups['yarn_running'] == GROUPS['nodemanagers']
    assert groups['hdfs_dead'] == groups['yarn_lost'] == []
    # Both sources describe the same host.
    assert hostvars[victim]['hadoop_profile'] == 'worker'
    assert hostvars[victim]['live_hdfs']['admin_state'] == 'In Service'
    assert hostvars[victim]['live_yarn']['state'] == 'RUNNING'

    systemctl(CONTAINERS[victim], 'stop', 'hadoop-hdfs-datanode', 'hadoop-yarn-nodemanager')
    try:
        groups, hostvars = wait_for(live, lambda g: victim in g['hdfs_dead'] and victim in g['yarn_lost'])
        assert groups['hdfs_dead'] == [victim] and groups['yarn_lost'] == [victim]
        assert victim not in groups['hdfs_live'] and victim not in groups['yarn_running']
        assert other in groups['hdfs_live'] and other in groups['yarn_running']
        assert hostvars[victim]['live_hdfs']['state'] == 'dead'
        assert hostvars[victim]['live_hdfs']['last_contact'] >= 40
        assert limited_hosts(live, 'hdfs_dead') == [victim]
        assert limited_hosts(live, 'yarn_lost:&worker') == [victim]
    finally:
        systemctl(CONTAINERS[victim], 'start', 'hadoop-hdfs-datanode', 'hadoop-yarn-nodemanager')

    groups, hostvars = wait_for(
        live, lambda g: g['hdfs_dead'] == [] and victim in g['hdfs_live'] and victim in g['yarn_running'])
    assert groups['hdfs_live'] == workers and groups['yarn_running'] == GROUPS['nodemanagers']
    assert groups['yarn_lost'] == []
    assert limited_hosts(live, 'hdfs_dead') == []
