# -*- coding: utf-8 -*-
"""The configuration advisor on the converged scenario: each NodeManager runs
with the values sized for its own resources (read from the container and the
inventory, and as the ResourceManager reports them), and advise.yml reports
no difference and changes nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import CONTAINERS, ENDPOINTS, GROUPS, HOSTVARS, INVENTORY_DIR, MASTER, PROJECT, ansible_env
from test_bad_input import snapshot

sys.path.insert(0, os.path.join(PROJECT, '.cache', 'collections'))
from ansible_collections.datafleet.hadoop.plugins.module_utils import _sizing  # noqa: E402

testinfra_hosts = [MASTER]

RM = 'http://%s:8088' % ENDPOINTS['hadoop_resourcemanager_host']


def docker_exec(name, *argv):
    return subprocess.run(['docker', 'exec', CONTAINERS[name]] + list(argv),
                          capture_output=True, text=True, check=True).stdout


def site_values(name, file_name):
    root = ET.fromstring(docker_exec(name, 'cat', '/etc/hadoop/conf/' + file_name))
    return dict((p.findtext('name'), p.findtext('value')) for p in root.iter('property'))


def test_each_nodemanager_runs_with_the_values_sized_for_it(curl):
    nodes = dict((n['nodeHostName'], n) for n in curl.json(RM + '/ws/v1/cluster/nodes')['nodes']['node'])
    memories = {}
    for name in GROUPS['nodemanagers']:
        declared = int(HOSTVARS[name]['hadoop_sizing_memory_mb'])
        vcpus = int(docker_exec(name, 'nproc').strip())
        # One data directory (the role's default) unless the inventory lists them.
        disks = len(HOSTVARS[name].get('hadoop_datanode_data_dirs') or ['default'])
        expected = _sizing.yarn(declared, vcpus, disks)
        values = site_values(name, 'yarn-site.xml')
        assert int(values['yarn.nodemanager.resource.memory-mb']) == expected['nodemanager_memory_mb'], name
        assert int(values['yarn.nodemanager.resource.cpu-vcores']) == vcpus, name
        node = nodes[name]
        assert node['availMemoryMB'] + node['usedMemoryMB'] == expected['nodemanager_memory_mb'], name
        assert node['availableVirtualCores'] + node['usedVirtualCores'] == vcpus, name
        memories[name] = expected['nodemanager_memory_mb']
    # The workers declare different sizes, and each got its own value.
    assert len(set(memories.values())) == len(memories) > 1
    # The running ResourceManager lets a container be as large as the largest NodeManager.
    served = ET.fromstring(curl.get(RM + '/conf?name=yarn.scheduler.maximum-allocation-mb'))
    assert int(served.findtext('property/value')) == max(memories.values())


def test_advise_reports_no_difference_and_changes_nothing(tmp_path):
    report_path = tmp_path / 'advice.json'
    before = snapshot()
    result = subprocess.run(
        ['ansible-playbook', '-i', INVENTORY_DIR, os.path.join(PROJECT, 'playbooks', 'advise.yml'),
         '-e', 'hadoop_advise_report=%s' % report_path],
        capture_output=True, text=True, env=ansible_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads(report_path.read_text())
    assert report['errors'] == []
    assert sorted(report['hosts']) == sorted(CONTAINERS)
    for name, host in report['hosts'].items():
        assert host['settings'] and host['heaps'], name
        assert host['differences'] == [], (name, host['differences'])
    names = set(row['name'] for host in report['hosts'].values() for row in host['settings'] + host['heaps'])
    assert {'yarn.nodemanager.resource.memory-mb', 'yarn.scheduler.maximum-allocation-mb', 'mapreduce.map.memory.mb',
            'dfs.namenode.handler.count', 'dfs.datanode.du.reserved', 'spark.executor.memory',
            'hdfs_namenode_heap_mb', 'hdfs_datanode_heap_mb'} <= names
    text = ' '.join(result.stdout.split())
    assert 'worker (2 hosts): no differences' in text and 'master (1 hosts): no differences' in text
    recap = result.stdout.split('PLAY RECAP')[-1]
    assert set(re.findall(r'(\S+)\s+: ok=\d+\s+changed=(\d+)', recap)) >= set((n, '0') for n in CONTAINERS)
    assert snapshot() == before
