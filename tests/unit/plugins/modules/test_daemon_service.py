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


# With the unit file and the markers: the state decided in the module.

def lifecycle(tmp_path, monkeypatch, **extra):
    """The unit file under tmp_path (its path is the module's, /etc/systemd/system/<unit>.service, moved)."""
    units = tmp_path / 'units'
    units.mkdir(exist_ok=True)
    state = tmp_path / 'state'
    (state / 'restart-pending').mkdir(parents=True, exist_ok=True)
    (state / 'retired').mkdir(exist_ok=True)
    real = daemon_service.ensure_all

    def ensure_all(module, directories, files, keep_previous=()):
        moved = [dict(spec, dest=str(units / spec['dest'].rsplit('/', 1)[-1])) for spec in files]
        result = real(module, directories, moved, keep_previous)
        result['changed_paths'] = ['/etc/systemd/system/' + p.rsplit('/', 1)[-1] if p.startswith(str(units)) else p
                                   for p in result['changed_paths']]
        return result

    monkeypatch.setattr(daemon_service, 'ensure_all', ensure_all)
    params = dict(args(), unit_content='[Service]\nExecStart=/usr/bin/java\n',
                  restart_marker=str(state / 'restart-pending' / 'datanode'),
                  reload_marker=str(state / 'restart-pending' / 'datanode.reload'),
                  retired_marker=str(state / 'retired' / 'datanode'))
    params.pop('state')
    params.pop('enabled')
    params.update(extra)
    return params, state


def test_a_new_unit_is_written_enabled_and_started(hadoop, commands, run_module, tmp_path, monkeypatch):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    params, dummy = lifecycle(tmp_path, monkeypatch)
    commands.results = [DONE, show('systemctl_show_inactive.txt'), DISABLED, DONE, DONE,
                        show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, params)
    assert (result['unit_changed'], result['due'], result['deferred']) == (True, True, False)
    # A unit that was stopped starts on its new file.
    assert result['actions'] == ['enable', 'start'] and result['marker'] is None and result['ready'] is True
    assert verbs(commands) == ['daemon-reload', 'show', 'is-enabled', 'enable', 'start', 'show']
    assert (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').read_text().startswith('[Service]')


def test_a_changed_unit_of_a_deferred_daemon_keeps_its_restart_pending(
        hadoop, commands, run_module, tmp_path, monkeypatch):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    params, state = lifecycle(tmp_path, monkeypatch, defer_restart=True)
    (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').write_text('[Service]\nExecStart=/old\n')
    commands.results = [DONE, show('systemctl_show_datanode.txt'), ENABLED, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, params)
    assert (result['unit_changed'], result['due'], result['deferred'], result['marker']) == (True, True, True, 'write')
    assert result['actions'] == [] and result['changed'] is True
    assert (state / 'restart-pending' / 'datanode').read_text() == 'the hadoop-hdfs-datanode unit changed\n'


def test_a_deferred_daemon_in_systemds_restart_loop_starts_at_once_with_its_new_unit(
        hadoop, commands, run_module, tmp_path, monkeypatch):
    # The unit of a daemon that kept exiting was fixed: its restart is not left to the rolling restart,
    # which the daemon's own check before it would fail; it starts now and its pending restart is done.
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    params, state = lifecycle(tmp_path, monkeypatch, defer_restart=True)
    (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').write_text('[Service]\nExecStart=/old\n')
    (state / 'restart-pending' / 'datanode').write_text('hdfs-site.xml changed\n')
    commands.results = [DONE, show('systemctl_show_auto_restart.txt'), ENABLED, DONE, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, params)
    assert verbs(commands) == ['daemon-reload', 'show', 'is-enabled', 'start', 'show']
    assert (result['actions'], result['deferred'], result['marker']) == (['start'], False, 'remove')
    assert not (state / 'restart-pending' / 'datanode').exists()


def test_a_pending_restart_is_done_and_forgotten(hadoop, commands, run_module, tmp_path, monkeypatch):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    params, state = lifecycle(tmp_path, monkeypatch)
    (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').write_text(params['unit_content'])
    (state / 'restart-pending' / 'datanode').write_text('hdfs-site.xml changed\n')
    (state / 'restart-pending' / 'datanode.reload').write_text('hdfs-site.xml changed\n')
    commands.results = [show('systemctl_show_datanode.txt'), ENABLED, DONE, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, params)
    assert (result['unit_changed'], result['due'], result['marker'], result['reload_pending']) == (
        False, True, 'remove', True)
    assert result['actions'] == ['restart']
    assert not (state / 'restart-pending' / 'datanode').exists()


def test_a_converged_daemon_with_its_unit_is_one_read(hadoop, commands, run_module, tmp_path, monkeypatch):
    hadoop.on('GET', '/jmx', Reply.captured('dn_jmx_DataNodeInfo.json'))
    params, state = lifecycle(tmp_path, monkeypatch, directories=[{'path': str(tmp_path / 'dn'), 'mode': '0700'}])
    (tmp_path / 'dn').mkdir(mode=0o700)
    (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').write_text(params['unit_content'])
    commands.results = [show('systemctl_show_datanode.txt'), ENABLED, show('systemctl_show_datanode.txt')]
    result = run_module(daemon_service, params)
    assert result['changed'] is False and result['due'] is False and result['ready'] is True
    assert verbs(commands) == ['show', 'is-enabled', 'show']


def test_a_retired_daemon_stays_stopped_with_its_record(hadoop, commands, run_module, tmp_path, monkeypatch):
    params, state = lifecycle(tmp_path, monkeypatch)
    (tmp_path / 'units' / 'hadoop-hdfs-datanode.service').write_text(params['unit_content'])
    (state / 'retired' / 'datanode').write_text('decommissioned\n')
    (state / 'restart-pending' / 'datanode').write_text('hdfs-site.xml changed\n')
    commands.results = [show('systemctl_show_inactive.txt'), DISABLED]
    result = run_module(daemon_service, params)
    assert result['changed'] is False and result['retired'] is True and result['ready'] is None
    assert (state / 'restart-pending' / 'datanode').exists()


def test_without_state_the_markers_are_required(hadoop, commands, run_module):
    params = args()
    params.pop('state')
    result = run_module(daemon_service, params)
    assert result['failed'] is True and result['msg'].startswith('without state, restart_marker and retired_marker')
