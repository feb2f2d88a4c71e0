# -*- coding: utf-8 -*-
"""The configuration advisor on the converged scenario: each NodeManager runs
with the values sized for its own resources (as the files say and as the
ResourceManager reports them), and advise.yml reports no difference and
changes nothing.

The workers declare their size in the inventory (4096 MB and 3072 MB, 2
vCPUs, one data directory). Worked out by hand from the published rules
(docs/sizing.md): a 4096 MB host keeps 1 GB, its smallest container is
256 MB, 3 containers (at least 3; 2 vCPUs and one disk allow fewer) of
3072 / 3 = 1024 MB: 3072 MB. A 3072 MB host keeps 1 GB, 3 containers of
2048 / 3 = 682 MB (rounded down to a multiple of 682): 2046 MB."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

from conftest import CONTAINERS, ENDPOINTS, GROUPS, INVENTORY_DIR, MASTER, PROJECT, ansible_env
from test_bad_input import snapshot

testinfra_hosts = [MASTER]

RM = 'http://%s:8088' % ENDPOINTS['hadoop_resourcemanager_host']
# NodeManager memory by worker, worked out above; 2 vCPUs each.
EXPECTED_MEMORY = {'mt-worker1.dfmol': 3072, 'mt-worker2.dfmol': 2046}
VCPUS = 2


def docker_exec(name, *argv):
    return subprocess.run(['docker', 'exec', CONTAINERS[name]] + list(argv),
                          capture_output=True, text=True, check=True).stdout


def site_values(name, file_name):
    root = ET.fromstring(docker_exec(name, 'cat', '/etc/hadoop/conf/' + file_name))
    return dict((p.findtext('name'), p.findtext('value')) for p in root.iter('property'))


def test_each_nodemanager_runs_with_the_values_sized_for_it(curl):
    nodes = dict((n['nodeHostName'], n) for n in curl.json(RM + '/ws/v1/cluster/nodes')['nodes']['node'])
    assert sorted(GROUPS['nodemanagers']) == sorted(EXPECTED_MEMORY)
    for name, memory in EXPECTED_MEMORY.items():
        values = site_values(name, 'yarn-site.xml')
        assert int(values['yarn.nodemanager.resource.memory-mb']) == memory, name
        assert int(values['yarn.nodemanager.resource.cpu-vcores']) == VCPUS, name
        node = nodes[name]
        assert node['availMemoryMB'] + node['usedMemoryMB'] == memory, name
        assert node['availableVirtualCores'] + node['usedVirtualCores'] == VCPUS, name
    # The running ResourceManager lets a container be as large as the largest
    # NodeManager, and no smaller than the smallest container (682 MB).
    served = ET.fromstring(curl.get(RM + '/conf?name=yarn.scheduler.maximum-allocation-mb'))
    assert int(served.findtext('property/value')) == 3072
    served = ET.fromstring(curl.get(RM + '/conf?name=yarn.scheduler.minimum-allocation-mb'))
    assert int(served.findtext('property/value')) == 682
    # Tasks fit the smallest container: one 682 MB allocation, -Xmx 0.8 x.
    mapred = site_values(MASTER, 'mapred-site.xml')
    assert (mapred['mapreduce.map.memory.mb'], mapred['mapreduce.map.java.opts']) == ('682', '-Xmx545m')


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


def test_a_limited_run_sizes_without_contacting_the_other_hosts():
    """site.yml limited to one worker: the other hosts are not contacted (the
    other NodeManager counts through what the ResourceManager reports), and
    the worker's files come out the same as in the run over every host."""
    worker = 'mt-worker2.dfmol'
    before = snapshot()
    result = subprocess.run(
        ['ansible-playbook', '-i', INVENTORY_DIR, os.path.join(PROJECT, 'playbooks', 'site.yml'), '--limit', worker],
        capture_output=True, text=True, env=ansible_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    recap = result.stdout.split('PLAY RECAP')[-1]
    assert re.search(r'%s\s+: ok=\d+\s+changed=0\s' % re.escape(worker), recap)
    # Only the worker (and the controller) took part: no task ran on another host.
    others = set(CONTAINERS) - {worker}
    assert not [line for line in result.stdout.splitlines()
                if re.match(r'^(ok|changed|fatal|skipping): \[(%s)\]' % '|'.join(map(re.escape, others)), line)]
    assert 'TASK [datafleet.hadoop.preflight : Read the NodeManagers outside this run from the ResourceManager]' \
        in result.stdout
    assert snapshot() == before
