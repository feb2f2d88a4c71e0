# -*- coding: utf-8 -*-
"""daemon_info: ready daemons pass at once, crashing ones fail with their logs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils import _service
from ansible_collections.datafleet.hadoop.plugins.modules import daemon_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import FakeClock, Reply, ZooKeeperReplay, captured_bytes

URL = 'http://host1.example.com:9864'
SYSTEMCTL = '/usr/bin/systemctl'
JOURNALCTL = '/usr/bin/journalctl'


def show(name):
    return (0, captured_bytes(name).decode('utf-8'), '')


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_service, 'time', clock)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: '/usr/bin/' + name)
    return clock


def test_a_ready_daemon_passes_at_once(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [show('systemctl_show_datanode.txt')]
    result = run_module(daemon_info, {'name': 'datanode', 'url': URL, 'wait': True})
    assert result['changed'] is False and result['ready'] is True
    assert (result['unit'], result['pid'], result['active_state']) == ('hadoop-hdfs-datanode', 1023, 'active/running')
    assert commands.calls[0][:4] == [SYSTEMCTL, 'show', 'hadoop-hdfs-datanode.service', '--no-pager']


def test_waits_while_the_daemon_starts(hadoop, commands, run_module, environment):
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), URLError('[Errno 111] Connection refused'),
              Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [show('systemctl_show_datanode.txt')] * 3
    result = run_module(daemon_info, {'name': 'datanode', 'url': URL, 'wait': True})
    assert result['ready'] is True
    assert environment.sleeps == [_service._POLL_SECONDS] * 2


def test_a_crash_loop_fails_with_the_journal(hadoop, commands, run_module, tmp_path):
    log = tmp_path / 'hdfs-datanode.log'
    log.write_text('2026-12-01 10:00:00,000 INFO starting\n2026-12-01 10:00:01,000 ERROR bad things\n')
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'))
    journal = 'Unrecognized VM option \'NoSuchOption\'\nError: Could not create the Java Virtual Machine.\n'
    commands.results = [show('systemctl_show_datanode.txt'), show('systemctl_show_auto_restart.txt'),
                        (0, journal, '')]
    result = run_module(daemon_info, {'name': 'datanode', 'url': URL, 'wait': True, 'log_file': str(log)})
    assert result['failed'] is True and result['ready'] is False
    assert result['msg'].startswith('datanode (hadoop-hdfs-datanode) is not up: the daemon exited (exit-code) and '
                                    'systemd waits to start it again.')
    assert "Unrecognized VM option 'NoSuchOption'" in result['msg']
    assert 'ERROR bad things' in result['msg']
    assert commands.calls[-1] == [JOURNALCTL, '-u', 'hadoop-hdfs-datanode.service', '-n', '15', '--no-pager', '-o', 'cat']


def test_a_daemon_that_never_answers_fails_at_the_timeout(hadoop, commands, run_module, environment):
    hadoop.on('GET', '/ws/v1/history/info', URLError('[Errno 111] Connection refused'))
    polls = int(10 / _service._POLL_SECONDS) + 2
    commands.results = [show('systemctl_show_datanode.txt')] * polls + [(0, '', '')]
    result = run_module(daemon_info, {'name': 'historyserver', 'url': URL, 'wait': True, 'timeout': 10,
                                      'unit': 'hadoop-mapreduce-historyserver'})
    assert result['failed'] is True
    assert 'is not up: not ready after 10 s: no answer yet:' in result['msg']
    assert sum(environment.sleeps) >= 10


def test_without_wait_a_down_daemon_is_reported_not_failed(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_not_found.txt')]
    result = run_module(daemon_info, {'name': 'namenode', 'url': URL})
    assert result.get('failed') is not True
    assert result['ready'] is False and result['detail'] == 'the unit is not installed'
    assert hadoop.requests == []


def test_a_nodemanager_needs_its_node_id(hadoop, commands, run_module):
    result = run_module(daemon_info, {'name': 'nodemanager', 'url': URL})
    assert result['failed'] is True and 'node' in result['msg']


def test_a_zookeeper_server_is_ready_in_the_quorum(commands, run_module):
    server = ZooKeeperReplay({'srvr': 'srvr-follower.txt'})
    try:
        commands.results = [show('systemctl_show_datanode.txt')]
        result = run_module(daemon_info, {'name': 'zookeeper', 'url': 'tcp://127.0.0.1:%d' % server.port,
                                          'wait': True})
    finally:
        server.close()
    assert result['ready'] is True and result['detail'] == 'the ZooKeeper server is follower'
    assert commands.calls[0][2] == 'zookeeper-server.service'
    assert server.words == ['srvr']


def test_a_zookeeper_server_is_named_by_a_tcp_url(commands, run_module):
    result = run_module(daemon_info, {'name': 'zookeeper', 'url': 'http://zk1.example.com:2181'})
    assert result['failed'] is True
    assert result['msg'] == "a ZooKeeper server is given as tcp://host:port, not 'http://zk1.example.com:2181'"
