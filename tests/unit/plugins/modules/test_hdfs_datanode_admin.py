# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_datanode_admin
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import NAMENODE_URL, Reply, tool_capture

W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'
DFSADMIN = 'org.apache.hadoop.hdfs.tools.DFSAdmin'
# The fsck of the cluster while a writer held a block open on W1 and W2.
FSCK_OPEN = 'fsck_openforwrite_uc_on_decommissioned.txt'


def serve(hadoop, info='nn_jmx_NameNodeInfo_recommissioned.json', fsck=FSCK_OPEN):
    hadoop.on_beans(NameNodeStatus='nn_jmx_NameNodeStatus.json',
                    FSNamesystemState='nn_jmx_FSNamesystemState_decommissioned.json',
                    FSNamesystem='nn_jmx_FSNamesystem_decommissioned.json',
                    NameNodeInfo=info if isinstance(info, list) else [info])
    hadoop.on('GET', '/fsck', Reply.captured(fsck))


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    hosts_file = tmp_path / 'dfs.hosts.json'
    hosts_file.write_text(json.dumps([{'hostName': h} for h in (W1, W2, W3)]))
    return {'namenode_url': NAMENODE_URL, 'hadoop_home': str(tmp_path / 'hadoop'),
            'java_home': '/usr/lib/jvm/java-17', 'hosts_file': str(hosts_file), 'wait': False}


def file_states(args):
    with open(args['hosts_file']) as handle:
        return dict((e['hostName'], e.get('adminState')) for e in json.load(handle))


def test_open_blocks_refuse_before_any_change(hadoop, commands, run_module, args):
    serve(hadoop)
    before = open(args['hosts_file']).read()
    result = run_module(hdfs_datanode_admin, dict(args, hosts=[W1], state='decommissioned'))
    assert result['failed']
    assert '/tmp/openfile3.txt._COPYING_' in result['msg'] and 'wait_for_open_files' in result['msg']
    assert open(args['hosts_file']).read() == before
    assert commands.calls == []


def test_too_few_left_is_refused(hadoop, commands, run_module, args):
    serve(hadoop)
    result = run_module(hdfs_datanode_admin, dict(args, hosts=[W1, W2], state='decommissioned',
                                                  wait_for_open_files=True))
    assert result['failed'] and 'leave 1 in-service DataNode(s) but dfs.replication is 2' in result['msg']
    assert file_states(args) == {W1: None, W2: None, W3: None}
    assert commands.calls == []


def test_unknown_host_is_refused(hadoop, commands, run_module, args):
    serve(hadoop)
    result = run_module(hdfs_datanode_admin, dict(args, hosts=['w9.example.com'], state='decommissioned'))
    assert result['failed'] and 'w9.example.com is not part of this HDFS cluster' in result['msg']
    assert commands.calls == []


def test_check_mode_shows_the_change_and_runs_nothing(hadoop, commands, run_module, args):
    serve(hadoop)
    result = run_module(hdfs_datanode_admin, dict(args, hosts=[W1], state='decommissioned', wait_for_open_files=True,
                                                  _ansible_diff=True), check_mode=True)
    assert result['changed'] and result['changes'] == [{'host': W1, 'before': 'in_service', 'after': 'decommissioned'}]
    assert '"DECOMMISSIONED"' in result['diff']['after']
    assert file_states(args)[W1] is None
    assert commands.calls == []


def test_start_writes_refreshes_and_reports(hadoop, commands, run_module, args):
    serve(hadoop, info=['nn_jmx_NameNodeInfo_recommissioned.json', 'nn_jmx_NameNodeInfo_decommissioning_3.json'])
    commands.results.append(tool_capture('dfsadmin_refreshNodes.txt'))
    result = run_module(hdfs_datanode_admin, dict(args, hosts=[W1], state='decommissioned', wait_for_open_files=True))
    assert result['changed'] and not result['complete']
    assert file_states(args) == {W1: 'DECOMMISSIONED', W2: None, W3: None}
    assert commands.calls[0][-1] == '-refreshNodes' and DFSADMIN in commands.calls[0]
    assert result['nodes'][W1]['admin_state'] == 'Decommission In Progress'
    assert result['progress']['blocks_remaining'] == result['nodes'][W1]['under_replicated_blocks'] > 0
    assert result['blockers'][0].startswith(W1 + ': Decommission In Progress')


def test_rerun_when_done_changes_nothing(hadoop, commands, run_module, args):
    with open(args['hosts_file'], 'w') as handle:
        json.dump([{'hostName': W1, 'adminState': 'DECOMMISSIONED'}, {'hostName': W2}, {'hostName': W3}], handle)
    # The open block still has a replica on W2 (in service): not stranded.
    serve(hadoop, info='nn_jmx_NameNodeInfo_decommissioned.json')
    result = run_module(hdfs_datanode_admin, dict(args, hosts=[W1], state='decommissioned'))
    assert not result['changed'] and result['complete']
    assert result['nodes'][W1]['admin_state'] == 'Decommissioned'
    assert commands.calls == []


def test_members_admit_new_hosts_while_the_namenode_is_down(hadoop, commands, run_module, args):
    from ansible.module_utils.six.moves.urllib.error import URLError
    hadoop.on('GET', '/jmx', URLError('connection refused'))
    with open(args['hosts_file'], 'w') as handle:
        json.dump([{'hostName': W1, 'adminState': 'DECOMMISSIONED'}], handle)
    result = run_module(hdfs_datanode_admin, dict(args, members=[W1, W2]))
    assert result['changed'] and result['admin_states'] == {W1: 'decommissioned', W2: 'in_service'}
    assert file_states(args) == {W1: 'DECOMMISSIONED', W2: None}
    assert commands.calls == []
