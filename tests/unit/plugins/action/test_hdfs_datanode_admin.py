# -*- coding: utf-8 -*-
"""The action of hdfs_datanode_admin: a wait of hundreds of report intervals
is a flat loop (no nesting, no recursion), with one progress line each."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys

import pytest

from ansible_collections.datafleet.hadoop.plugins.action import hdfs_datanode_admin as action
from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import progress_line

HOST = 'worker7.example.com'


class Stub(object):
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


class Drain(object):
    """The NameNode's answers for a drain that ends after `steps` reports:
    each call of the module waits its wait_timeout on the fake clock."""

    def __init__(self, steps, blocks=1000):
        self.steps, self.blocks = steps, blocks
        self.calls = []
        self.now = 0.0
        self.depth = []

    def clock(self):
        return self.now

    def __call__(self, args, task_vars):
        self.calls.append(args)
        self.depth.append(len(_stack()))
        self.now += args['wait_timeout']
        done = len(self.calls) > self.steps
        left = 0 if done else self.blocks * (self.steps - len(self.calls) + 1) // self.steps
        return {
            'changed': len(self.calls) == 1, 'complete': done,
            'nodes': {HOST: {'admin_state': 'Decommissioned' if done else 'Decommission In Progress'}},
            'progress': {'blocks_remaining': left, 'blocks_per_second': 1.5, 'eta_seconds': 20},
            'blockers': [] if done else ['%s: Decommission In Progress, %d blocks still under-replicated' % (HOST, left)],
        }


def _stack():
    frame, frames = sys._getframe(), []
    while frame:
        frames.append(frame)
        frame = frame.f_back
    return frames


def make(args, drain, check_mode=False):
    task = Stub(args=args, async_val=0, check_mode=check_mode, action='datafleet.hadoop.hdfs_datanode_admin',
                get_name=lambda: 'Decommission the DataNodes')
    connection = Stub(_shell=Stub(tmpdir='/tmp/x'))
    plugin = action.ActionModule(task, connection, Stub(check_mode=check_mode), None, None, None)
    plugin.clock = drain.clock
    plugin.call = drain
    plugin.lines = []
    plugin.report = plugin.lines.append
    return plugin


ARGS = {'hosts': [HOST], 'state': 'decommissioned', 'wait': True, 'wait_timeout': 14400, 'report_interval': 30}


def test_a_wait_of_hundreds_of_intervals_is_a_flat_loop():
    # 479 reports of 30 s: the whole default timeout of 4 hours, which a task
    # file including itself per report could not survive.
    drain = Drain(steps=479)
    plugin = make(dict(ARGS), drain)
    result = plugin.run(task_vars={})
    assert result['complete'] is True and result['changed'] is True and not result.get('failed')
    assert len(drain.calls) == 480 and len(plugin.lines) == 479
    # Every call waits at most the report interval and never fails on its own.
    assert set(call['wait_timeout'] for call in drain.calls) == {30}
    assert set(call['fail_on_timeout'] for call in drain.calls) == {False}
    # The stack does not grow with the number of reports.
    assert max(drain.depth) == min(drain.depth)
    assert plugin.lines[0] == ('%s: Decommission In Progress; 1000 block(s) to re-replicate, 1.5 blocks/s, about 20 s '
                               'left; waiting for: %s: Decommission In Progress, 1000 blocks still under-replicated'
                               % (HOST, HOST))


def test_the_deadline_fails_with_what_blocks_and_how_to_go_on():
    drain = Drain(steps=1000)
    plugin = make(dict(ARGS, wait_timeout=300), drain)
    result = plugin.run(task_vars={})
    assert result['failed'] is True and result['complete'] is False
    assert len(drain.calls) == 10
    assert result['msg'].startswith('%s not decommissioned within 300 s: %s: Decommission In Progress' % (HOST, HOST))
    assert result['msg'].endswith('Nothing is lost: run again to keep waiting, or fix what blocks it.')


def test_without_timeout_failure_the_last_progress_is_returned():
    drain = Drain(steps=1000)
    result = make(dict(ARGS, wait_timeout=60, fail_on_timeout=False), drain).run(task_vars={})
    assert not result.get('failed') and result['complete'] is False and len(drain.calls) == 2


@pytest.mark.parametrize('args, check_mode', [
    (dict(ARGS, report_interval=0), False),
    (dict(ARGS, wait=False), False),
    (dict(ARGS), True),
])
def test_one_call_without_reports_without_wait_or_in_check_mode(args, check_mode):
    drain = Drain(steps=5)
    make(args, drain, check_mode).run(task_vars={})
    assert drain.calls == [args]


def test_a_failure_of_the_module_stops_the_loop():
    calls = []

    def failing(args, task_vars):
        calls.append(args)
        return {'failed': True, 'msg': 'the NameNode did not answer'}
    drain = Drain(steps=5)
    plugin = make(dict(ARGS), drain)
    plugin.call = failing
    result = plugin.run(task_vars={})
    assert result['failed'] is True and result['msg'] == 'the NameNode did not answer' and len(calls) == 1


def test_progress_line_when_done():
    assert progress_line({'complete': True, 'nodes': {HOST: {'admin_state': 'Decommissioned'}},
                          'progress': {'blocks_remaining': 0}}) == '%s: Decommissioned; 0 block(s) to re-replicate' % HOST
