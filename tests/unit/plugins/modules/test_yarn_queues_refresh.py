# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import yarn_queues_refresh
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import tool_capture

RMADMIN = 'org.apache.hadoop.yarn.client.cli.RMAdminCLI'
# rmadmin -refreshQueues against the HA sandbox: accepted (rc 0, no output),
# and refused after the active ResourceManager's capacity-scheduler.xml was
# given a root.default capacity of 50 (rc 255, the server's stack trace).
ACCEPTED = 'rmadmin_refreshQueues.txt'
REFUSED = 'rmadmin_refreshQueues_refused.txt'


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'hadoop_home': str(tmp_path / 'hadoop'), 'conf_dir': '/etc/hadoop/conf',
            'java_home': '/usr/lib/jvm/java-17'}


def test_the_captures_are_an_accepted_and_a_refused_refresh():
    assert tool_capture(ACCEPTED) == (0, '', '')
    rc, out, err = tool_capture(REFUSED)
    assert rc == 255 and err.startswith('refreshQueues: java.io.IOException: Failed to re-init queues')


def test_the_queues_are_reloaded_as_the_yarn_administrator(commands, run_module, args):
    commands.results.append(tool_capture(ACCEPTED))
    result = run_module(yarn_queues_refresh, dict(args, admin_user='yarnadm'))
    assert result['changed'] and result['refreshed'] and not result.get('failed')
    argv = commands.calls[0]
    assert argv[0] == '/usr/lib/jvm/java-17/bin/java' and argv[-2:] == [RMADMIN, '-refreshQueues']


def test_a_refused_refresh_fails_with_the_resourcemanager_s_reason(commands, run_module, args):
    commands.results.append(tool_capture(REFUSED))
    result = run_module(yarn_queues_refresh, args)
    assert result['failed'] and result['rc'] == 255
    assert ('refused the new queues and keeps the old ones: Failed to re-init queues : Illegal capacity sum of 0.5 '
            'for children of queue root for label=. It should be either 0 or 1.0. Fix capacity-scheduler.xml'
            in result['msg'])
    assert '\tat ' not in result['msg']


def test_an_unexpected_failure_shows_the_tool_s_last_lines(commands, run_module, args):
    commands.results.append((1, '', 'Exception in thread "main" java.net.UnknownHostException: rm1\n'))
    result = run_module(yarn_queues_refresh, args)
    assert result['failed'] and 'java.net.UnknownHostException: rm1' in result['msg']


def test_check_mode_reloads_nothing(commands, run_module, args):
    result = run_module(yarn_queues_refresh, args, check_mode=True)
    assert result['changed'] and not result['refreshed'] and commands.calls == []
