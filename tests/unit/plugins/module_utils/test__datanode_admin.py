# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import (
    blockers, blocks_remaining, guard_problems, node_progress, nodes_by_host)
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import namenode_facts
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import bean

# Three DataNodes df-worker1..3 (captured on a sandbox cluster, replication 2).
W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'


def facts(info='nn_jmx_NameNodeInfo_recommissioned.json', state='nn_jmx_FSNamesystemState_decommissioned.json',
          system='nn_jmx_FSNamesystem_decommissioned.json'):
    return namenode_facts(bean('nn_jmx_NameNodeStatus.json'), bean(state), bean(system), bean(info))


def live(info):
    return json.loads(bean(info)['LiveNodes'])


def test_nodes_by_host_from_live_nodes():
    nodes = nodes_by_host(facts())
    assert sorted(nodes) == [W1, W2, W3]
    raw = live('nn_jmx_NameNodeInfo_recommissioned.json')
    for host, node in nodes.items():
        assert node['live'] and node['admin_state'] == 'In Service'
        assert node['transfer_address'] == raw[host + ':9866']['xferaddr']


def test_one_of_three_may_leave_with_replication_two():
    assert guard_problems(facts(), [W1], 'decommissioned', 2) == []


def test_too_few_left_for_the_replication_factor():
    problems = guard_problems(facts(), [W1, W2], 'decommissioned', 2)
    assert len(problems) == 1
    assert 'leave 1 in-service DataNode(s) but dfs.replication is 2' in problems[0]
    assert 'scale_out.yml' in problems[0]


def test_a_file_with_a_higher_replication_counts():
    problems = guard_problems(facts(), [W1], 'decommissioned', 2, highest=(3, '/data/important'))
    assert len(problems) == 1
    assert 'the highest replication factor in use is 3 (/data/important)' in problems[0]


def test_missing_or_corrupt_blocks_stop_everything():
    f = facts()
    f['blocks']['missing'] = 4
    problems = guard_problems(f, [W1], 'decommissioned', 2)
    assert len(problems) == 1 and '4 missing and 0 corrupt blocks' in problems[0]


def test_the_data_must_fit_on_the_nodes_left():
    f = facts()
    used = dict((n['host'], n['used']) for n in f['live_nodes'])
    for node in f['live_nodes']:
        if node['host'] != W1:
            node['remaining'] = used[W1] // 4
    problems = guard_problems(f, [W1], 'decommissioned', 2)
    assert len(problems) == 1 and 'free' in problems[0]


def test_open_blocks_are_reported_with_the_fix():
    open_blocks = [{'path': '/tmp/a', 'block': 'blk_1', 'on': ['172.18.0.3:9866'], 'elsewhere': []}]
    problems = guard_problems(facts(), [W1], 'decommissioned', 2, open_blocks=open_blocks)
    assert len(problems) == 1 and '/tmp/a' in problems[0] and 'wait_for_open_files' in problems[0]


def test_maintenance_needs_only_the_minimum_left():
    assert guard_problems(facts(), [W1, W2], 'in_maintenance', 2) == []
    assert len(guard_problems(facts(), [W1, W2, W3], 'in_maintenance', 2)) == 1


def test_progress_while_decommissioning():
    # Right after the refresh the NameNode has not counted yet; a scan later it has.
    first = node_progress(facts('nn_jmx_NameNodeInfo_decommissioning_1.json'), [W1], 'decommissioned')
    assert first[W1]['admin_state'] == 'Decommission In Progress' and not first[W1]['done']
    later = facts('nn_jmx_NameNodeInfo_decommissioning_3.json', 'nn_jmx_FSNamesystemState_decommissioning_3.json')
    progress = node_progress(later, [W1], 'decommissioned')
    decom = json.loads(bean('nn_jmx_NameNodeInfo_decommissioning_3.json')['DecomNodes'])[W1 + ':9866']
    assert progress[W1]['under_replicated_blocks'] == decom['underReplicatedBlocks']
    assert blocks_remaining(progress) == decom['underReplicatedBlocks']
    why = blockers(progress, later, [], 'decommissioned')
    assert why[0].startswith(W1 + ': Decommission In Progress, %d blocks' % decom['underReplicatedBlocks'])


def test_done_when_decommissioned():
    progress = node_progress(facts('nn_jmx_NameNodeInfo_decommissioned.json'), [W1], 'decommissioned')
    assert progress[W1]['done'] and blocks_remaining(progress) == 0
    # The other nodes are in service.
    others = node_progress(facts('nn_jmx_NameNodeInfo_decommissioned.json'), [W2, W3], 'in_service')
    assert all(p['done'] for p in others.values())


def test_recommissioned_and_maintenance():
    assert node_progress(facts('nn_jmx_NameNodeInfo_recommissioned.json'), [W1], 'in_service')[W1]['done']
    entering = node_progress(facts('nn_jmx_NameNodeInfo_maintenance_1.json'), [W2], 'in_maintenance')
    assert entering[W2]['admin_state'] == 'Entering Maintenance' and not entering[W2]['done']
    assert node_progress(facts('nn_jmx_NameNodeInfo_maintenance_3.json'), [W2], 'in_maintenance')[W2]['done']


def test_unknown_host():
    progress = node_progress(facts(), ['nowhere.example.com'], 'in_service')
    assert progress['nowhere.example.com'] == {'known': False, 'live': False, 'admin_state': None, 'done': False}
    assert 'has not seen' in blockers(progress, facts(), [], 'in_service')[0]
