# -*- coding: utf-8 -*-
"""daemon_service: the unit made enabled and running as asked, then the daemon checked, in one call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic

from ansible_collections.datafleet.hadoop.plugins.module_utils import _service
from ansible_collections.datafleet.hadoop.plugins.modules import daemon_service
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import FakeClock, Reply, captured_bytes

URL = 'http://host1.example.com:9864'
SYSTEMCTL = '/usr/bin/systemctl'
UNIT = 'hadoop-hdfs-datanode.service'


def show(name):
    return (0, captured_bytes(name).decode('utf-8'), '')


# systemctl is-enabled: the captured answers for an enabled and a disabled unit.
ENABLED = (0, captured_bytes('systemctl_is_enabled_enabled.txt').decode('utf-8'), '')
DISABLED = (1, captured_bytes('systemctl_is_enabled_disabled.txt').decode('utf-8'), '')
DONE = (0, '', '')


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_service, 'time', clock)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: '/usr/bin/' + name)
    return clock


def args(**extra):
    return dict({'name': 'datanode', 'url': URL, 'state': 'started', 'enabled': True}, **extra)


def verbs(commands):
    """systemctl's verb of each call (show, is-enabled, start, ...)."""
    return [argv[1] for argv in commands.calls if argv[0] == SYSTEMCTL]


def test_a_converged_daemon_is_only_read(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [show('systemctl_show_datanode.txt'), ENABLED, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, args())
    assert result['changed'] is False and result['actions'] == []
    assert result['ready'] is True and result['pid'] == 1023
    assert verbs(commands) == ['show', 'is-enabled', 'show']
    assert commands.calls[1] == [SYSTEMCTL, 'is-enabled', UNIT]


def test_a_stopped_disabled_unit_is_enabled_started_and_waited_for(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [DONE, show('systemctl_show_inactive.txt'), DISABLED, DONE, DONE,
                        show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, args(daemon_reload=True))
    assert result['changed'] is True and result['actions'] == ['enable', 'start']
    assert verbs(commands) == ['daemon-reload', 'show', 'is-enabled', 'enable', 'start', 'show']
    assert commands.calls[0] == [SYSTEMCTL, 'daemon-reload']
    assert commands.calls[4] == [SYSTEMCTL, 'start', UNIT]
    assert result['ready'] is True


def test_restarted_restarts_a_running_daemon(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [show('systemctl_show_datanode.txt'), ENABLED, DONE, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, args(state='restarted'))
    assert result['actions'] == ['restart'] and result['ready'] is True


def test_a_retired_daemon_is_stopped_and_disabled_and_not_checked(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_datanode.txt'), ENABLED, DONE, DONE]
    result = run_module(daemon_service, args(state='stopped', enabled=False))
    assert result['actions'] == ['disable', 'stop'] and result['ready'] is None
    assert verbs(commands) == ['show', 'is-enabled', 'disable', 'stop']
    assert hadoop.calls() == []


def test_a_stopped_daemon_stays_stopped(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_inactive.txt'), DISABLED]
    result = run_module(daemon_service, args(state='stopped', enabled=False))
    assert result['changed'] is False and result['actions'] == []


def test_check_mode_says_what_it_would_do_and_does_nothing(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_inactive.txt'), DISABLED]
    result = run_module(daemon_service, args(daemon_reload=True), check_mode=True)
    assert result['changed'] is True and result['actions'] == ['enable', 'start'] and result['ready'] is None
    assert verbs(commands) == ['show', 'is-enabled']
    assert hadoop.calls() == []


def test_check_mode_before_the_unit_file_exists(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_not_found.txt')]
    result = run_module(daemon_service, args(daemon_reload=True), check_mode=True)
    assert result['changed'] is True and result['actions'] == ['enable', 'start']


def test_a_unit_systemd_does_not_know_fails(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_not_found.txt')]
    result = run_module(daemon_service, args())
    assert result['failed'] is True
    assert result['msg'] == 'systemd has no unit hadoop-hdfs-datanode on this host: install its unit file first'


def test_a_failed_start_fails_with_systemctls_message(hadoop, commands, run_module):
    commands.results = [show('systemctl_show_inactive.txt'), ENABLED,
                        (1, '', 'Job for hadoop-hdfs-datanode.service failed because the control process exited '
                                'with error code.\n')]
    result = run_module(daemon_service, args())
    assert result['failed'] is True
    assert result['msg'].startswith('systemctl start hadoop-hdfs-datanode.service failed: Job for ')


def test_a_daemon_that_crashes_after_its_start_fails_with_its_journal(hadoop, commands, run_module):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    commands.results = [show('systemctl_show_inactive.txt'), ENABLED, DONE, show('systemctl_show_auto_restart.txt'),
                        (0, 'Error: Could not create the Java Virtual Machine.\n', '')]
    result = run_module(daemon_service, args())
    assert result['failed'] is True
    assert result['msg'].startswith('datanode (hadoop-hdfs-datanode) is not up: the daemon exited')
    assert 'Could not create the Java Virtual Machine' in result['msg']
