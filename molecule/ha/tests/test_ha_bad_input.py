# -*- coding: utf-8 -*-
"""Topologies and settings an HA cluster cannot run with, each refused by
site.yml before any host changes: the managed files' modification times and
the daemons' start times are the same after the refused runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import CONTAINERS, GROUPS, INVENTORY, run_playbook

WATCHED = '/etc/hadoop/conf /etc/zookeeper/conf /etc/systemd/system /var/lib/datafleet'
UNITS = ('zookeeper-server', 'hadoop-hdfs-journalnode', 'hadoop-hdfs-namenode', 'hadoop-hdfs-zkfc',
         'hadoop-hdfs-datanode', 'hadoop-yarn-resourcemanager', 'hadoop-yarn-nodemanager')


def snapshot():
    state = {}
    for container in sorted(CONTAINERS.values()):
        files = subprocess.run(['docker', 'exec', container, 'sh', '-c',
                                'find %s -maxdepth 2 -printf "%%p %%T@\\n" 2>/dev/null | sort' % WATCHED],
                               capture_output=True, text=True, check=True).stdout
        starts = subprocess.run(['docker', 'exec', container, 'systemctl', 'show', '-p',
                                 'Id,ExecMainStartTimestampMonotonic'] + [u + '.service' for u in UNITS],
                                capture_output=True, text=True, check=True).stdout
        state[container] = (files, starts)
    return state


def without(topology, profile, service):
    topology['profiles'][profile]['services'].remove(service)


def one_namenode(topology):
    topology['profiles']['rm_only'] = copy.deepcopy(topology['profiles']['master'])
    without(topology, 'rm_only', 'namenode')
    topology['hosts']['mh-master2.dfmolha']['profile'] = 'rm_only'


def two_journalnodes(topology):
    without(topology, 'quorum', 'journalnode')


def two_zookeepers(topology):
    without(topology, 'quorum', 'zookeeper')


def no_zookeeper(topology):
    without(topology, 'quorum', 'zookeeper')
    without(topology, 'master', 'zookeeper')


CASES = [
    (one_namenode, 'high_availability.hdfs needs at least 2 NameNodes, found 1'),
    (two_journalnodes, 'high_availability.hdfs needs an odd number of JournalNodes, at least 3, found 2'),
    (two_zookeepers, 'high_availability.hdfs needs an odd number of ZooKeeper servers (automatic failover), at '
                     'least 3, found 2'),
    (no_zookeeper, 'high_availability.hdfs needs an odd number of ZooKeeper servers (automatic failover), at '
                   'least 3, found 0'),
]


@pytest.fixture(scope='module')
def before():
    return snapshot()


@pytest.fixture
def topology_dir(tmp_path):
    """A copy of the scenario's inventory to change."""
    target = str(tmp_path / 'inventory')
    shutil.copytree(INVENTORY, target)
    return target


@pytest.mark.parametrize('change,message', CASES, ids=[c[0].__name__ for c in CASES])
def test_impossible_topology_is_refused(before, topology_dir, change, message):
    path = os.path.join(topology_dir, 'cluster.yml')
    with open(path) as handle:
        topology = yaml.safe_load(handle)
    change(topology)
    with open(path, 'w') as handle:
        yaml.safe_dump(topology, handle)
    run = run_playbook('site.yml', topology_dir)
    assert run.returncode != 0
    assert message in run.text, run.stdout[-3000:]


def test_nameservice_id_hadoop_would_reject_is_refused(before):
    run = run_playbook('site.yml', INVENTORY, 'hadoop_nameservice=Prod_EU')
    assert run.returncode != 0
    assert "the nameservice id 'Prod_EU' is not a lower-case DNS label" in run.text, run.stdout[-3000:]
    assert 'Check the HDFS nameservice' in run.text


def test_a_failover_without_a_target_or_to_a_worker_is_refused(before):
    run = run_playbook('failover.yml', INVENTORY)
    assert run.returncode != 0
    assert 'Name the master to make active: -e hadoop_failover_namenode=HOST' in run.text, run.stdout[-3000:]
    worker = GROUPS['datanodes'][0]
    run = run_playbook('failover.yml', INVENTORY, 'hadoop_failover_namenode=' + worker)
    assert run.returncode != 0
    assert ("a host of group 'namenodes' (%s), not '%s' (playbooks/failover.yml takes it as hadoop_failover_namenode"
            % (', '.join(GROUPS['namenodes']), worker)) in run.text, run.stdout[-3000:]


def test_refused_runs_changed_no_host(before):
    assert snapshot() == before
