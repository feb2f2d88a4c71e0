# -*- coding: utf-8 -*-
"""site.yml run in stages, its worker stage as AWX job slices, on the highly
available cluster test_workers_ha_rolling.py leaves (pytest runs this module
after it).

A fifth worker, md-worker5, a container nothing has touched, joins with the
topology in ../inventory-sliced: the control plane first (hadoop_site_stage
control_plane, limited to the hosts that are not pure workers: the masters
admit the new worker), then the pure workers in two slices that run at once
(hadoop_site_stage workers), each from an inventory holding only its own
hosts, made the way AWX makes a slice's inventory, then a run of site.yml on
the whole cluster. The converged workers change nothing in their slices, the
new one comes up as a live DataNode and a RUNNING NodeManager (asked of the
NameNodes and ResourceManagers with curl), and the full run after the slices
changes nothing on any host: the slices wrote what a full run writes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import tempfile
import time

from conftest import PROJECT, SCENARIO, load, on_master, playbook_env, run_playbook, start_playbook, wait_for
import awx_slices

SLICED = os.path.join(SCENARIO, 'inventory-sliced')
GROUPS, CONTAINERS, _HOSTVARS = load(SLICED)
NEW = 'md-worker5.dfmold'
# The pure workers (the worker profile's group), which the slices converge;
# the limits keep localhost, whose play checks the inventory and prepares the artifacts.
WORKER_PROFILE = 'worker'
WORKERS_LIMIT = 'localhost:' + WORKER_PROFILE
CONTROL_PLANE_LIMIT = 'localhost:all:!' + WORKER_PROFILE
SLICES = 2


def awx_slice_inventories(inventory, count, directory):
    listing = json.loads(run_local(['ansible-inventory', '-i', inventory, '--list', '--export']),
                         object_hook=awx_slices.unwrap)
    return awx_slices.slice_inventories(listing, count, directory)


def run_local(argv):
    result = subprocess.run(argv, capture_output=True, text=True, env=playbook_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def recap(output):
    """{host: {'ok': n, 'changed': n, ...}} from a run's PLAY RECAP."""
    hosts = {}
    for host, counts in re.findall(r'^(\S+)\s+:\s+(ok=.*)$', output, re.M):
        hosts[host] = dict((k, int(v)) for k, v in re.findall(r'(\w+)=(\d+)', counts))
    return hosts


def changed_tasks(output):
    """The tasks of a run that changed something, as 'TASK name: host'."""
    found, task = [], None
    for line in output.splitlines():
        if line.startswith('TASK ['):
            task = line.split('[', 1)[1].rsplit(']', 1)[0]
        elif line.startswith('changed: ['):
            found.append('%s: %s' % (task, line.split('[', 1)[1].split(']', 1)[0]))
    return found


def live_datanodes():
    """The DataNodes either NameNode reports live (both hear every DataNode)."""
    live = set()
    for nn in GROUPS['namenodes']:
        result = on_master('curl -sS -f --max-time 30 "http://%s:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo"'
                           % nn, check=False)
        if result.returncode == 0:
            info = json.loads(result.stdout)['beans'][0]
            live |= set(name.split(':')[0] for name in json.loads(info['LiveNodes'] or '{}'))
    return live


def running_nodemanagers():
    """The NodeManagers the active ResourceManager reports RUNNING (a standby redirects to it)."""
    for rm in GROUPS['resourcemanagers']:
        result = on_master('curl -sS -f -L --max-time 30 "http://%s:8088/ws/v1/cluster/nodes?states=RUNNING"' % rm,
                           check=False)
        if result.returncode == 0:
            nodes = (json.loads(result.stdout).get('nodes') or {}).get('node') or []
            return set(n['nodeHostName'] for n in nodes)
    return set()


def test_a_worker_slice_refuses_what_it_cannot_do_before_any_change():
    with tempfile.TemporaryDirectory() as directory:
        (first, members), _second = awx_slice_inventories(SLICED, SLICES, directory)
        # Without the limit the slice holds a master, which the workers stage does not converge.
        masters = [h for h in members if h not in GROUPS[WORKER_PROFILE]]
        assert masters, members
        result = run_playbook('site.yml', first, 'hadoop_site_stage=workers')
        assert result.returncode != 0
        assert 'hadoop_site_stage is workers, which converges only the hosts that run nothing but a DataNode' \
            in result.text, result.stdout[-3000:]
        assert all(counts['changed'] == 0 for counts in recap(result.stdout).values()), result.stdout[-3000:]
        # A limit without localhost skips the controller's play: its checks and the artifacts.
        result = run_playbook('site.yml', first, ['--limit', WORKER_PROFILE], 'hadoop_site_stage=workers')
        assert result.returncode != 0
        assert 'the play on localhost that checks the inventory and prepares the artifacts did not run' \
            in result.text, result.stdout[-3000:]
        assert all(counts['changed'] == 0 for counts in recap(result.stdout).values()), result.stdout[-3000:]
        # The task sizes depend on every NodeManager: a slice needs them set for the cluster.
        result = run_playbook('site.yml', first, ['--limit', WORKERS_LIMIT], 'hadoop_site_stage=workers',
                              {'hadoop_mapred_site': {}})
        assert result.returncode != 0
        assert 'A worker slice cannot compute the task sizes' in result.text, result.stdout[-3000:]
        assert 'mapreduce.map.memory.mb, mapreduce.reduce.memory.mb, yarn.app.mapreduce.am.resource.mb' in result.text


def test_the_control_plane_stage_admits_the_new_worker():
    assert NEW not in live_datanodes()
    started = time.time()
    result = run_playbook('site.yml', SLICED, ['--limit', CONTROL_PLANE_LIMIT], 'hadoop_site_stage=control_plane')
    print('control_plane stage: %.0f s' % (time.time() - started))
    assert result.returncode == 0, result.stdout[-4000:]
    hosts = recap(result.stdout)
    assert 'localhost' in hosts and not set(hosts) & set(GROUPS[WORKER_PROFILE]), sorted(hosts)
    # The NameNodes' include file names the new worker.
    assert NEW in on_master('cat /etc/hadoop/conf/dfs.hosts.json').stdout


def test_two_worker_slices_at_once_install_the_new_worker_and_change_nothing_else():
    with tempfile.TemporaryDirectory() as directory:
        slices = awx_slice_inventories(SLICED, SLICES, directory)
        assert any(NEW in members for path, members in slices)
        started = time.time()
        runs = []
        for number, (path, members) in enumerate(slices):
            log = open(os.path.join(directory, 'slice%d.log' % (number + 1)), 'w+')
            runs.append((log, start_playbook('site.yml', path, log, ['--limit', WORKERS_LIMIT],
                                             'hadoop_site_stage=workers')))
        outputs = []
        for log, proc in runs:
            proc.wait(timeout=1800)
            log.seek(0)
            outputs.append((proc.returncode, log.read()))
        print('worker stage, %d slices at once: %.0f s' % (SLICES, time.time() - started))
    for returncode, output in outputs:
        assert returncode == 0, output[-4000:]
    hosts = {}
    for returncode, output in outputs:
        hosts.update(recap(output))
    workers = set(GROUPS[WORKER_PROFILE])
    assert set(hosts) - {'localhost'} == workers, sorted(hosts)
    assert all(hosts[h]['changed'] == 0 for h in workers - {NEW}), changed_tasks(outputs[0][1] + outputs[1][1])
    assert hosts[NEW]['changed'] > 0, hosts
    wait_for(lambda: NEW in live_datanodes(), 120, 'the new DataNode to be live')
    wait_for(lambda: NEW in running_nodemanagers(), 120, 'the new NodeManager to be RUNNING')


def test_a_full_run_after_the_slices_changes_nothing():
    started = time.time()
    result = run_playbook('site.yml', SLICED)
    print('full run: %.0f s' % (time.time() - started))
    assert result.returncode == 0, result.stdout[-4000:]
    hosts = recap(result.stdout)
    assert set(hosts) == set(CONTAINERS) | {'localhost'}, sorted(hosts)
    assert all(counts['changed'] == 0 for counts in hosts.values()), changed_tasks(result.stdout)
