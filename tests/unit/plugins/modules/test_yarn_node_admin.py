# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._hosts_files import (
    parse_yarn_exclude, parse_yarn_include)
from ansible_collections.datafleet.hadoop.plugins.modules import yarn_node_admin
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import RESOURCEMANAGER_URL, Reply

W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'
RMADMIN = 'org.apache.hadoop.yarn.client.cli.RMAdminCLI'
RUNNING = 'rm_cluster_nodes_all_states_3_running.json'
DECOMMISSIONED = 'rm_cluster_nodes_all_states_decommissioned.json'  # W3 DECOMMISSIONED


def serve(hadoop, *names):
    hadoop.on('GET', '/ws/v1/cluster/nodes', *[Reply.captured(n) for n in names])


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    (tmp_path / 'yarn.include').write_text(u''.join(h + '\n' for h in (W1, W2, W3)))
    return {'resourcemanager_url': RESOURCEMANAGER_URL, 'hadoop_home': str(tmp_path / 'hadoop'),
            'java_home': '/usr/lib/jvm/java-17', 'include_file': str(tmp_path / 'yarn.include'),
            'exclude_file': str(tmp_path / 'yarn.exclude.xml'), 'poll_interval': 0}


def excluded(args):
    with open(args['exclude_file']) as handle:
        return parse_yarn_exclude(handle.read())


def test_graceful_decommission_until_decommissioned(hadoop, commands, run_module, args):
    serve(hadoop, RUNNING, RUNNING, DECOMMISSIONED)
    commands.results.append((0, '', ''))
    result = run_module(yarn_node_admin, dict(args, hosts=[W3], state='decommissioned', decommission_timeout=600))
    assert result['changed'] and result['complete'] and result['refreshed']
    assert excluded(args) == {W3: 600}
    assert commands.calls[0][-4:] == ['-refreshNodes', '-g', '600', '-server'] and RMADMIN in commands.calls[0]
    assert result['nodes'][W3]['state'] == 'DECOMMISSIONED'


def test_rerun_changes_nothing(hadoop, commands, run_module, args):
    serve(hadoop, DECOMMISSIONED)
    with open(args['exclude_file'], 'w') as handle:
        handle.write(yarn_node_admin.render_yarn_exclude({W3: 600}))
    result = run_module(yarn_node_admin, dict(args, hosts=[W3], state='decommissioned', decommission_timeout=600))
    assert not result['changed'] and result['complete'] and commands.calls == []


def test_removing_every_nodemanager_is_refused(hadoop, commands, run_module, args):
    serve(hadoop, RUNNING)
    result = run_module(yarn_node_admin, dict(args, hosts=[W1, W2, W3], state='decommissioned'))
    assert result['failed'] and 'would leave no RUNNING NodeManager' in result['msg']
    assert not os.path.exists(args['exclude_file']) and commands.calls == []


def test_unknown_host_is_refused(hadoop, commands, run_module, args):
    serve(hadoop, RUNNING)
    result = run_module(yarn_node_admin, dict(args, hosts=['w9.example.com'], state='decommissioned'))
    assert result['failed'] and 'w9.example.com is not part of this YARN cluster' in result['msg']


def test_timeout_reports_the_blocker(hadoop, commands, run_module, args):
    serve(hadoop, RUNNING)
    commands.results.append((0, '', ''))
    result = run_module(yarn_node_admin, dict(args, hosts=[W3], state='decommissioned', wait_timeout=0))
    assert result['failed'] and not result['complete']
    assert result['blockers'] == [W3 + ': RUNNING, 0 running container(s)']


def test_members_keep_the_exclusion_and_recommission_clears_it(hadoop, commands, run_module, args):
    serve(hadoop, DECOMMISSIONED)
    with open(args['exclude_file'], 'w') as handle:
        handle.write(yarn_node_admin.render_yarn_exclude({W3: 600}))
    result = run_module(yarn_node_admin, dict(args, members=[W1, W2, W3], wait=False))
    assert not result['changed'] and excluded(args) == {W3: 600}
    commands.results.append((0, '', ''))
    result = run_module(yarn_node_admin, dict(args, hosts=[W3], state='in_service', wait=False))
    assert result['changed'] and excluded(args) == {}
    assert commands.calls[0][-1] == '-refreshNodes'
    with open(args['include_file']) as handle:
        assert parse_yarn_include(handle.read()) == [W1, W2, W3]
    # Its NodeManager shut down when it was decommissioned: not RUNNING until started again.
    assert result['nodes'][W3] == {'state': 'DECOMMISSIONED', 'containers': 0, 'timeout_left': None, 'done': False}
