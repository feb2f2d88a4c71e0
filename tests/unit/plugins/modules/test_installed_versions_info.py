# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible.module_utils import basic

from ansible_collections.datafleet.hadoop.plugins.modules import installed_versions_info
from ansible_collections.datafleet.hadoop.plugins.modules.installed_versions_info import (
    command_line_dirs, link_dir, version_of)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import captured_bytes

SYSTEMCTL = '/usr/bin/systemctl'
UNIT = 'sandbox_worker_hadoop-hdfs-datanode.service'
INSTALL = '/opt/hadoop'
PINNED = '/opt/hadoop/hadoop-3.4.2'


def main_pid_answer(name):
    """Derived: what `systemctl show --property=MainPID --value <unit>` prints for the unit of a captured
    `systemctl show`: the value of its MainPID line."""
    line, = [line for line in captured_bytes(name).decode('utf-8').splitlines() if line.startswith('MainPID=')]
    return 0, line.split('=', 1)[1] + '\n', ''


def unit_argv(home=None):
    """Derived: the argv of the captured DataNode unit's ExecStart as the kernel lists it in /proc/PID/cmdline
    (systemd splits it on spaces; $DATAFLEET_EXTRA_ARGS, empty, gives no word). With `home`, every
    /opt/hadoop/current in it becomes `home`: the unit as the collection writes it now, pinned to the
    versioned directory."""
    line, = [line for line in captured_bytes(UNIT).decode('utf-8').splitlines() if line.startswith('ExecStart=')]
    argv = [word for word in line[len('ExecStart='):].split() if word != '$DATAFLEET_EXTRA_ARGS']
    return [word.replace('/opt/hadoop/current', home) for word in argv] if home else argv


def write_cmdline(proc, pid, argv):
    """/proc/<pid>/cmdline: every argument followed by a NUL byte."""
    os.makedirs(str(proc / str(pid)))
    (proc / str(pid) / 'cmdline').write_bytes(b''.join(arg.encode('utf-8') + b'\0' for arg in argv))


# version_of ------------------------------------------------------------------------------

@pytest.mark.parametrize('name, version', [
    ('hadoop-3.4.2', '3.4.2'), ('hadoop-3.5.0', '3.5.0'), ('apache-zookeeper-3.9.5-bin', '3.9.5'),
    ('spark-3.5.1-bin-hadoop3', '3.5.1'), ('current', None), ('', None), (None, None),
])
def test_version_of(name, version):
    assert version_of(name) == version


# link_dir ----------------------------------------------------------------------------------

@pytest.mark.parametrize('target', ['hadoop-3.4.2', 'hadoop-3.4.2/', '{base}/hadoop-3.4.2', './hadoop-3.4.2'])
def test_link_dir(tmp_path, target):
    (tmp_path / 'hadoop-3.4.2').mkdir()
    os.symlink(target.format(base=str(tmp_path)), str(tmp_path / 'current'))
    assert link_dir(str(tmp_path / 'current')) == 'hadoop-3.4.2'


def test_link_dir_of_a_link_to_a_missing_directory(tmp_path):
    os.symlink('hadoop-3.5.0', str(tmp_path / 'current'))
    assert link_dir(str(tmp_path / 'current')) == 'hadoop-3.5.0'


def test_link_dir_of_no_link(tmp_path):
    (tmp_path / 'current').mkdir()
    assert link_dir(str(tmp_path / 'current')) is None
    assert link_dir(str(tmp_path / 'missing')) is None


# command_line_dirs -------------------------------------------------------------------------

def test_a_pinned_unit_runs_from_its_versioned_directory(tmp_path):
    write_cmdline(tmp_path, 1023, unit_argv(PINNED))
    assert command_line_dirs(1023, INSTALL, proc=str(tmp_path)) == ['hadoop-3.4.2']
    assert command_line_dirs('1023', INSTALL + '/', proc=str(tmp_path)) == ['hadoop-3.4.2']


def test_a_unit_that_names_the_link(tmp_path):
    write_cmdline(tmp_path, 1023, unit_argv())
    assert command_line_dirs(1023, INSTALL, proc=str(tmp_path)) == ['current']


def test_the_most_named_directory_first(tmp_path):
    # Derived: the classpath pinned, the home and library properties still naming the link.
    argv = [arg if arg.startswith('-D') else arg.replace('/opt/hadoop/current', PINNED) for arg in unit_argv()]
    write_cmdline(tmp_path, 1023, argv)
    assert command_line_dirs(1023, INSTALL, proc=str(tmp_path)) == ['hadoop-3.4.2', 'current']


def test_only_paths_under_the_install_dir(tmp_path):
    write_cmdline(tmp_path, 1023, unit_argv(PINNED))
    assert command_line_dirs(1023, '/srv/hadoop', proc=str(tmp_path)) == []
    # /opt/hadoop/... is not under /opt/had.
    assert command_line_dirs(1023, '/opt/had', proc=str(tmp_path)) == []
    assert command_line_dirs(1023, '/opt', proc=str(tmp_path)) == ['hadoop']


def test_a_process_that_is_gone(tmp_path):
    with pytest.raises((IOError, OSError)):
        command_line_dirs(1023, INSTALL, proc=str(tmp_path))


# The module --------------------------------------------------------------------------------

@pytest.fixture
def proc(monkeypatch, tmp_path):
    """A /proc of the test's own: command_line_dirs binds its proc as a default argument."""
    path = tmp_path / 'proc'
    path.mkdir()
    monkeypatch.setattr(installed_versions_info.command_line_dirs, '__defaults__', (str(path),))
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: '/usr/bin/' + name)
    return path


@pytest.fixture
def current(tmp_path):
    """An install dir whose current link selects hadoop-3.4.2."""
    base = tmp_path / 'opt' / 'hadoop'
    (base / 'hadoop-3.4.2').mkdir(parents=True)
    os.symlink('hadoop-3.4.2', str(base / 'current'))
    return base / 'current'


def show_call(unit):
    return [SYSTEMCTL, 'show', '--property=MainPID', '--value', unit]


def test_the_link_and_the_daemon(commands, run_module, proc, current):
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    pid = int(main_pid_answer('systemctl_show_datanode.txt')[1])
    write_cmdline(proc, pid, unit_argv(PINNED))
    result = run_module(installed_versions_info, {'links': {'hadoop': str(current)}, 'daemons': ['datanode']})
    assert result['changed'] is False and 'failed' not in result
    assert result['links'] == {'hadoop': {'path': str(current), 'dir': 'hadoop-3.4.2', 'version': '3.4.2'}}
    assert result['daemons'] == {'datanode': {'unit': 'hadoop-hdfs-datanode', 'pid': pid, 'dir': 'hadoop-3.4.2',
                                              'version': '3.4.2'}}
    assert commands.calls == [show_call('hadoop-hdfs-datanode')]


def test_a_daemon_started_before_the_link_changed(commands, run_module, proc, current):
    os.remove(str(current))
    os.symlink('hadoop-3.5.0', str(current))
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    write_cmdline(proc, 1023, unit_argv(PINNED))
    result = run_module(installed_versions_info, {'links': {'hadoop': str(current)}, 'daemons': ['datanode']})
    assert result['links']['hadoop']['version'] == '3.5.0'
    assert (result['daemons']['datanode']['dir'], result['daemons']['datanode']['version']) == ('hadoop-3.4.2', '3.4.2')


def test_a_unit_that_names_the_link_has_no_version(commands, run_module, proc):
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    write_cmdline(proc, 1023, unit_argv())
    result = run_module(installed_versions_info, {'daemons': ['datanode']})
    assert result['daemons']['datanode'] == {'unit': 'hadoop-hdfs-datanode', 'pid': 1023, 'dir': 'current',
                                             'version': None}
    assert result['links'] == {}


def test_the_directory_the_command_line_names_most(commands, run_module, proc):
    # Derived: the classpath pinned, the home and library properties still naming the link.
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    write_cmdline(proc, 1023, [arg if arg.startswith('-D') else arg.replace('/opt/hadoop/current', PINNED)
                               for arg in unit_argv()])
    result = run_module(installed_versions_info, {'daemons': ['datanode']})
    assert (result['daemons']['datanode']['dir'], result['daemons']['datanode']['version']) == ('hadoop-3.4.2', '3.4.2')


def test_the_install_dir_option(commands, run_module, proc):
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    write_cmdline(proc, 1023, unit_argv(PINNED))
    result = run_module(installed_versions_info, {'daemons': ['datanode'], 'install_dir': '/opt'})
    assert result['daemons']['datanode']['dir'] == 'hadoop'


def test_a_daemon_that_does_not_run(commands, run_module, proc):
    commands.results.extend([main_pid_answer('systemctl_show_datanode.txt'),
                             main_pid_answer('systemctl_show_not_found.txt')])
    write_cmdline(proc, 1023, unit_argv(PINNED))
    result = run_module(installed_versions_info, {'daemons': ['datanode', 'nodemanager']})
    assert result['daemons']['nodemanager'] == {'unit': 'hadoop-yarn-nodemanager', 'pid': 0, 'dir': None,
                                                'version': None}
    assert result['daemons']['datanode']['version'] == '3.4.2'
    assert commands.calls == [show_call('hadoop-hdfs-datanode'), show_call('hadoop-yarn-nodemanager')]


def test_a_command_line_that_cannot_be_read(commands, run_module, proc):
    commands.results.append(main_pid_answer('systemctl_show_running.txt'))
    result = run_module(installed_versions_info, {'daemons': ['namenode']})
    assert result['failed'] is True
    assert result['msg'].startswith('cannot read the command line of hadoop-hdfs-namenode (pid 1614): ')
    assert os.path.join(str(proc), '1614', 'cmdline') in result['msg']


def test_an_unknown_daemon(commands, run_module, proc):
    result = run_module(installed_versions_info, {'daemons': ['nosuch']})
    assert result['failed'] is True
    assert result['msg'].startswith("unknown daemon 'nosuch'; known: namenode, datanode, ")
    assert commands.calls == []


def test_links_that_do_not_select_a_version(run_module, proc, tmp_path):
    (tmp_path / 'spark').mkdir()
    result = run_module(installed_versions_info, {'links': {'spark': str(tmp_path / 'spark'),
                                                            'zookeeper': str(tmp_path / 'missing')}})
    assert result['links'] == {'spark': {'path': str(tmp_path / 'spark'), 'dir': None, 'version': None},
                               'zookeeper': {'path': str(tmp_path / 'missing'), 'dir': None, 'version': None}}


def test_check_mode_reads_the_same(commands, run_module, proc, current):
    commands.results.append(main_pid_answer('systemctl_show_datanode.txt'))
    write_cmdline(proc, 1023, unit_argv(PINNED))
    result = run_module(installed_versions_info, {'links': {'hadoop': str(current)}, 'daemons': ['datanode']},
                        check_mode=True)
    assert result['daemons']['datanode']['version'] == result['links']['hadoop']['version'] == '3.4.2'


def test_the_paths_looked_for(commands, run_module, tmp_path, current):
    java = tmp_path / 'jvm' / 'bin' / 'java'
    java.parent.mkdir(parents=True)
    java.write_text('')
    result = run_module(installed_versions_info, {'links': {'hadoop': str(current)},
                                                  'paths': [str(tmp_path / 'other' / 'bin' / 'java'), str(java)]})
    assert result['existing'] == [str(java)]
    assert result['links']['hadoop']['version'] == '3.4.2' and commands.calls == []
