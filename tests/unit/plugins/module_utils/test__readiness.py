# -*- coding: utf-8 -*-
"""Readiness of each daemon from captured answers of a running sandbox and
captured `systemctl show` output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HttpClient
from ansible_collections.datafleet.hadoop.plugins.module_utils._readiness import parse_show, probe, unit_problem
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    RESOURCEMANAGER_URL, FakeHadoop, Reply, captured_bytes, captured_json)

URL = 'http://host1.example.com:9864'


def show(name):
    return parse_show(captured_bytes(name).decode('utf-8'))


def client(fake, url=URL):
    return HttpClient(url, opener=fake)


def test_a_running_unit_is_no_problem():
    running = show('systemctl_show_datanode.txt')
    assert running['MainPID'] == '1023'
    assert unit_problem(running) is None
    assert unit_problem(running, first_pid='1023') is None


@pytest.mark.parametrize('capture, message', [
    ('systemctl_show_auto_restart.txt', 'the daemon exited (exit-code) and systemd waits to start it again'),
    ('systemctl_show_not_found.txt', 'the unit is not installed'),
])
def test_a_crashing_or_missing_unit_is_named(capture, message):
    assert unit_problem(show(capture)) == message


def test_another_process_than_the_first_means_a_restart():
    assert unit_problem(show('systemctl_show_running.txt'), first_pid='1023') == (
        'the daemon exited and systemd started it again (PID 1023, then 1614)')


def test_a_stopped_unit_is_not_running():
    # Derived: a stopped unit reports inactive/dead (as the not-found capture shows) with LoadState=loaded.
    stopped = dict(show('systemctl_show_not_found.txt'), LoadState='loaded')
    assert unit_problem(stopped) == 'the unit is inactive: the daemon is not running'


def test_a_datanode_connected_to_its_namenode_is_ready():
    fake = FakeHadoop().on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    assert probe('datanode', client(fake)) == (True, 'the DataNode is connected to df-master.dfsandbox:8020')
    assert fake.requests[0].query == {'qry': 'Hadoop:service=DataNode,name=DataNodeInfo'}


def test_a_datanode_still_connecting_is_not_ready():
    # Derived from the capture: the block pool service before its registration.
    data = captured_json('dn_jmx_DataNodeInfo.json')
    actors = json.loads(data['beans'][0]['BPServiceActorInfo'])
    actors[0]['ActorState'] = 'CONNECTING'
    data['beans'][0]['BPServiceActorInfo'] = json.dumps(actors)
    fake = FakeHadoop().on('GET', '/jmx', Reply.json(data))
    assert probe('datanode', client(fake)) == (
        False, 'the DataNode is not connected to a NameNode (df-master.dfsandbox:8020: CONNECTING)')


def test_the_namenode_is_ready_when_it_reports_its_ha_state():
    fake = FakeHadoop().on('GET', '/jmx', Reply.captured('nn_jmx_NameNodeStatus.json'))
    assert probe('namenode', client(fake)) == (True, 'the NameNode is active')


def test_the_resourcemanager_is_ready_when_started():
    fake = FakeHadoop().on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info.json'))
    assert probe('resourcemanager', client(fake, RESOURCEMANAGER_URL)) == (True, 'the ResourceManager is active')


def test_a_nodemanager_is_ready_when_the_resourcemanager_lists_it_running():
    fake = FakeHadoop().on('GET', '/ws/v1/cluster/nodes/df-worker1.dfsandbox:45454',
                           Reply.captured('rm_cluster_node_by_id.json'))
    assert probe('nodemanager', client(fake, RESOURCEMANAGER_URL), 'df-worker1.dfsandbox:45454') == (
        True, 'the ResourceManager lists df-worker1.dfsandbox:45454 as RUNNING')


def test_a_nodemanager_the_resourcemanager_does_not_know_is_not_ready():
    # The ResourceManager's 404 for an unknown node id, as it answered the sandbox.
    body = (b'{"RemoteException":{"exception":"NotFoundException","message":"nodeId, nosuch.dfsandbox:45454, '
            b'is not found","javaClassName":"org.apache.hadoop.yarn.webapp.NotFoundException"}}')
    fake = FakeHadoop().on('GET', '/ws/v1/cluster/nodes/nosuch.dfsandbox:45454', Reply(404, body))
    assert probe('nodemanager', client(fake, RESOURCEMANAGER_URL), 'nosuch.dfsandbox:45454') == (
        False, 'the ResourceManager does not know nosuch.dfsandbox:45454 yet')


def test_a_lost_nodemanager_found_by_host_name_is_not_ready():
    fake = FakeHadoop().on('GET', '/ws/v1/cluster/nodes', Reply.captured('rm_cluster_nodes_all_states_lost.json'))
    nodes = captured_json('rm_cluster_nodes_all_states_lost.json')['nodes']['node']
    lost = [n['nodeHostName'] for n in nodes if n['state'] == 'LOST'][0]
    assert probe('nodemanager', client(fake, RESOURCEMANAGER_URL), lost) == (
        False, 'the ResourceManager lists %s as LOST' % lost)


def test_the_history_servers_are_ready_when_they_answer():
    fake = FakeHadoop().on('GET', '/ws/v1/history/info', Reply.captured('jhs_history_info.json'))
    assert probe('historyserver', client(fake)) == (True, 'the history server answers (Hadoop 3.5.0)')
    fake = FakeHadoop().on('GET', '/api/v1/version', Reply.captured('shs_api_version.json'))
    assert probe('spark_history', client(fake)) == (True, 'the Spark history server answers (Spark 4.3.0)')


def test_a_daemon_that_does_not_answer_is_not_ready():
    from ansible.module_utils.six.moves.urllib.error import URLError
    fake = FakeHadoop().on('GET', '/jmx', URLError('[Errno 111] Connection refused'))
    ready, detail = probe('namenode', client(fake))
    assert not ready and detail.startswith('no answer yet:') and 'Connection refused' in detail


def test_a_journalnode_is_ready_when_its_jmx_answers(hadoop):
    hadoop.on('GET', '/jmx', Reply.captured('jn_jmx_JournalNodeInfo_new.json'))
    assert probe('journalnode', client(hadoop, 'http://jn1.example.com:8480')) == (
        True, 'the JournalNode answers on localhost:18485')


def test_a_zkfc_is_ready_when_its_port_listens():
    import socket
    from ansible_collections.datafleet.hadoop.plugins.module_utils._readiness import TcpPort
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        assert probe('zkfc', TcpPort.from_url('tcp://127.0.0.1:%d' % port)) == (
            True, 'the failover controller listens on 127.0.0.1:%d' % port)
    finally:
        server.close()
    assert probe('zkfc', TcpPort('127.0.0.1', port, timeout=1)) == (False, 'nothing listens on 127.0.0.1:%d yet' % port)
