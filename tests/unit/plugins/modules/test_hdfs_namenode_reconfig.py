# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _reconfig
from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_namenode_reconfig
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, Reply, captured_bytes, tool_capture)

LIMITS = {
    'dfs.namenode.replication.max-streams': '20',
    'dfs.namenode.replication.max-streams-hard-limit': '40',
    'dfs.namenode.replication.work.multiplier.per.iteration': '10',
}
DEFAULTS = {
    'dfs.namenode.replication.max-streams': '2',
    'dfs.namenode.replication.max-streams-hard-limit': '4',
    'dfs.namenode.replication.work.multiplier.per.iteration': '2',
}


def conf_reply(name, value):
    """What the NameNode's /conf?name=... answers: the captured answer for max-streams, with the
    property name and value put in."""
    body = captured_bytes('nn_conf_max_streams.xml').decode('utf-8')
    body = body.replace('dfs.namenode.replication.max-streams', name).replace('<value>2</value>', '<value>%s</value>' % value)
    return Reply(200, body)


class NameNode(object):
    """Serves /conf from a dict that the fake reconfig commands update."""

    def __init__(self, hadoop, values):
        self.values = dict(values)
        hadoop.on('GET', '/conf', self)

    def serve(self, url, follow_redirects):
        name = url.split('name=')[1].split('&')[0].replace('%2F', '/')
        return conf_reply(name, self.values[name]).serve(url, follow_redirects)


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'namenode_url': NAMENODE_URL, 'hadoop_home': str(tmp_path / 'hadoop'), 'java_home': '/usr/lib/jvm/java-17',
            'runtime_file': str(tmp_path / 'hdfs-site.runtime.xml'), 'namenode_address': 'nn1.example.com:8020'}


def test_parse_status_of_real_runs():
    finished, changed, failed = _reconfig.parse_status(tool_capture('dfsadmin_reconfig_status_done.txt')[1])
    assert finished and not failed
    assert dict((c['property'], (c['from'], c['to'])) for c in changed) == dict(
        (k, (DEFAULTS[k], LIMITS[k])) for k in LIMITS)
    finished, changed, failed = _reconfig.parse_status(
        tool_capture('dfsadmin_reconfig_status_restore.txt')[1])
    assert finished and dict((c['property'], c['to']) for c in changed) == DEFAULTS
    assert _reconfig.parse_status(tool_capture('dfsadmin_reconfig_status_nochange.txt')[1]) == (True, [], [])


def test_raise_then_restore(hadoop, commands, run_module, args):
    namenode = NameNode(hadoop, DEFAULTS)

    def effect(module, argv):
        if argv[-1] == 'status':
            namenode.values.update(LIMITS if os.path.exists(args['runtime_file']) else DEFAULTS)
    commands.effect = effect
    commands.results += [tool_capture('dfsadmin_reconfig_start.txt'), tool_capture('dfsadmin_reconfig_status_done.txt')]
    result = run_module(hdfs_namenode_reconfig, dict(args, properties=LIMITS))
    assert result['changed'] and result['before'] == DEFAULTS and result['after'] == LIMITS
    assert [c[-1] for c in commands.calls] == ['start', 'status']
    with open(args['runtime_file'] + '.baseline.json') as handle:
        assert json.load(handle) == DEFAULTS

    # Again: the NameNode serves the values, nothing to do.
    assert not run_module(hdfs_namenode_reconfig, dict(args, properties=LIMITS))['changed']

    commands.results += [tool_capture('dfsadmin_reconfig_start_restore.txt'),
                         tool_capture('dfsadmin_reconfig_status_restore.txt')]
    result = run_module(hdfs_namenode_reconfig, dict(args, state='absent'))
    assert result['changed'] and result['after'] == DEFAULTS
    assert not os.path.exists(args['runtime_file']) and not os.path.exists(args['runtime_file'] + '.baseline.json')
    assert not run_module(hdfs_namenode_reconfig, dict(args, state='absent'))['changed']
    assert len(commands.calls) == 4


def test_interrupted_restore_is_completed(hadoop, commands, run_module, args):
    # An earlier run removed the runtime file and stopped before reconfiguring.
    with open(args['runtime_file'] + '.baseline.json', 'w') as handle:
        json.dump(DEFAULTS, handle)
    namenode = NameNode(hadoop, LIMITS)
    commands.effect = lambda module, argv: namenode.values.update(DEFAULTS) if argv[-1] == 'status' else None
    commands.results += [tool_capture('dfsadmin_reconfig_start_restore.txt'),
                         tool_capture('dfsadmin_reconfig_status_restore.txt')]
    result = run_module(hdfs_namenode_reconfig, dict(args, state='absent'))
    assert result['changed'] and result['before'] == LIMITS and result['after'] == DEFAULTS


def test_check_mode_changes_nothing(hadoop, commands, run_module, args):
    NameNode(hadoop, DEFAULTS)
    result = run_module(hdfs_namenode_reconfig, dict(args, properties=LIMITS), check_mode=True)
    assert result['changed'] and not os.path.exists(args['runtime_file']) and commands.calls == []
