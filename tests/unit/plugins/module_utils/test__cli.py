# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, last_lines
from ansible_collections.datafleet.hadoop.plugins.module_utils._layout import admin_argv
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import at_warn_level, tool_capture

FORMAT_REFUSED = 'namenode_format_nonInteractive_already_formatted.txt'
NOT_FORMATTING = ('Running in non-interactive mode, and data appears to exist in Storage Directory '
                  'root= /tmp/dfc/nn; location= null. Not formatting.')


class Failed(Exception):
    pass


class StubModule(object):
    """Just what HadoopCli uses of AnsibleModule."""

    def __init__(self, params, result=None, java=None):
        self.params = params
        self.result = result
        self.java = java
        self.commands = []

    def fail_json(self, **kwargs):
        raise Failed(kwargs)

    def get_bin_path(self, name, required=False):
        return self.java

    def run_command(self, args, environ_update=None):
        self.commands.append((args, environ_update))
        return self.result


@pytest.fixture
def hadoop_home(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return str(tmp_path / 'hadoop')


def params(hadoop_home, java_home='/usr/lib/jvm/java-17'):
    return {'hadoop_home': hadoop_home, 'conf_dir': '/etc/hadoop/conf', 'java_home': java_home}


def test_run_returns_the_captured_output(hadoop_home):
    result = tool_capture('dfsadmin_safemode_get_off.txt')
    module = StubModule(params(hadoop_home), result)
    assert HadoopCli(module).run('dfsadmin', ['-safemode', 'get']) == result
    (argv, env), = module.commands
    assert argv == admin_argv('/usr/lib/jvm/java-17', hadoop_home, '/etc/hadoop/conf', 'dfsadmin', ['-safemode', 'get'])
    assert env == {'MALLOC_ARENA_MAX': '4'}
    assert result[1] == 'Safe mode is OFF\n'


def test_failure_reports_the_tools_own_message(hadoop_home):
    rc, out, err = tool_capture(FORMAT_REFUSED)
    err = at_warn_level(err)  # derived, see _fakes.at_warn_level
    module = StubModule(params(hadoop_home), (rc, out, err))
    with pytest.raises(Failed) as e:
        HadoopCli(module).run('namenode', ['-format', '-nonInteractive'])
    failure = e.value.args[0]
    assert failure['rc'] == rc == 1
    assert failure['msg'].startswith('namenode -format -nonInteractive failed with exit code 1: ')
    assert failure['msg'].endswith(NOT_FORMATTING)
    assert failure['stderr'] == err
    assert failure['cmd'][-3:] == ['org.apache.hadoop.hdfs.server.namenode.NameNode', '-format', '-nonInteractive']


def test_nonzero_rc_is_returned_without_check_rc(hadoop_home):
    result = tool_capture(FORMAT_REFUSED)
    assert HadoopCli(StubModule(params(hadoop_home), result)).run('namenode', ['-format'], check_rc=False) == result


def test_last_lines_of_a_short_capture():
    rc, out, err = tool_capture('dfsadmin_safemode_enter.txt')
    assert last_lines(err) == err.strip()
    assert 'NativeCodeLoader' in last_lines(err)
    assert last_lines(out) == 'Safe mode is ON'


def test_last_lines_finds_the_explanation_in_info_level_output():
    rc, out, err = tool_capture(FORMAT_REFUSED)
    assert NOT_FORMATTING in last_lines(err)


def test_missing_installation_fails_before_running(tmp_path):
    module = StubModule(params(str(tmp_path / 'nothing')))
    with pytest.raises(Failed, match='does not hold a Hadoop installation'):
        HadoopCli(module)
    assert module.commands == []


def test_java_home_from_path(hadoop_home, tmp_path):
    os.makedirs(str(tmp_path / 'jdk' / 'bin'))
    (tmp_path / 'jdk' / 'bin' / 'java').write_text(u'')
    os.symlink(str(tmp_path / 'jdk' / 'bin' / 'java'), str(tmp_path / 'java'))
    cli = HadoopCli(StubModule(params(hadoop_home, java_home=None), java=str(tmp_path / 'java')))
    assert cli.java_home == os.path.realpath(str(tmp_path / 'jdk'))


def test_no_java_fails(hadoop_home):
    with pytest.raises(Failed, match='no java binary on PATH'):
        HadoopCli(StubModule(params(hadoop_home, java_home=None)))
