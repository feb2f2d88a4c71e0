# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_balancer
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import tool_capture

BALANCER = 'org.apache.hadoop.hdfs.server.balancer.Balancer'


@pytest.fixture
def args(tmp_path):
    os.makedirs(str(tmp_path / 'hadoop' / 'share' / 'hadoop'))
    return {'hadoop_home': str(tmp_path / 'hadoop'), 'java_home': '/usr/lib/jvm/java-17'}


def test_parse_a_balanced_cluster():
    iterations, balanced = hdfs_balancer.parse_report(tool_capture('balancer_balanced.txt')[1])
    assert balanced
    assert iterations == [{'iteration': 0, 'moved': '0 B', 'left': '0 B', 'being_moved': '0 B'}]


def test_run_sets_the_bandwidth_then_balances(commands, run_module, args):
    commands.results += [(0, 'Balancer bandwidth is set to 104857600\n', ''), tool_capture('balancer_balanced.txt')]
    result = run_module(hdfs_balancer, dict(args, threshold=5, bandwidth=104857600))
    assert not result['changed'] and result['status'] == 'SUCCESS' and result['balanced']
    assert commands.calls[0][-2:] == ['-setBalancerBandwidth', '104857600']
    assert BALANCER in commands.calls[1] and commands.calls[1][-2:] == ['-threshold', '5.0']


def test_another_balancer_running_is_not_a_failure(commands, run_module, args):
    rc, out, err = tool_capture('balancer_balanced.txt')
    commands.results.append((255, '', err + 'Another balancer is running.  Exiting ...\n'))
    result = run_module(hdfs_balancer, args)
    assert not result.get('failed') and result['status'] == 'ALREADY_RUNNING'
    assert result['changed'] is False and result['iterations'] == []


def test_an_error_fails_with_the_tool_message(commands, run_module, args):
    commands.results.append((252, '', 'java.io.IOException: Connection refused\n'))
    result = run_module(hdfs_balancer, args)
    assert result['failed'] and 'IO_EXCEPTION' in result['msg'] and 'Connection refused' in result['msg']


def test_check_mode_runs_nothing_and_reports_no_change(commands, run_module, args):
    result = run_module(hdfs_balancer, dict(args, bandwidth=104857600), check_mode=True)
    assert result['status'] == 'NOT_RUN' and commands.calls == []
    assert result['changed'] is False and 'diff' not in result


def test_nothing_moved_reports_no_change(commands, run_module, args):
    # The captured run on a balanced cluster: one iteration, 0 B moved.
    commands.results.append(tool_capture('balancer_balanced.txt'))
    result = run_module(hdfs_balancer, args)
    assert result['changed'] is False and result['status'] == 'SUCCESS' and result['balanced']
    assert result['bytes_moved'] == '0 B' and len(commands.calls) == 1


def test_data_moved_reports_a_change(commands, run_module, args):
    # Derived, not captured: the captured report with its iteration line turned into two
    # iterations that moved data (sizes formatted as the balancer prints them; the column
    # "Bytes Already Moved" is cumulative).
    rc, out, err = tool_capture('balancer_balanced.txt')
    header, first, balanced, took = out.splitlines()
    moved = first.replace('         0                  0 B                 0 B                0 B',
                          '         0             65.91 MB           1.02 GB           73.14 MB', 1)
    again = first.replace('         0                  0 B                 0 B                0 B',
                          '         1            139.05 MB               0 B                0 B', 1)
    assert moved != first and again != first
    commands.results.append((0, '\n'.join([header, moved, again, balanced, took, '']), err))
    result = run_module(hdfs_balancer, args)
    assert result['changed'] is True and result['status'] == 'SUCCESS'
    assert result['bytes_moved'] == '139.05 MB' and [i['iteration'] for i in result['iterations']] == [0, 1]
