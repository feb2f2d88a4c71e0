# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.plugin_utils._hostrange import (
    HostRangeError, expand_hosts)


@pytest.mark.parametrize('pattern, expected', [
    ('master1.example.com', ['master1.example.com']),
    ('worker[1:3].example.com', ['worker1.example.com', 'worker2.example.com', 'worker3.example.com']),
    ('worker[08:11]', ['worker08', 'worker09', 'worker10', 'worker11']),
    ('w[001:003]', ['w001', 'w002', 'w003']),
    ('n[1:9:4]', ['n1', 'n5', 'n9']),
    ('edge[a:c].dc1', ['edgea.dc1', 'edgeb.dc1', 'edgec.dc1']),
    ('r[1:2]n[a:b]', ['r1na', 'r1nb', 'r2na', 'r2nb']),
    ('[1:2]x', ['1x', '2x']),
    ('x[5:5]', ['x5']),
    ('x[9:11]', ['x9', 'x10', 'x11']),
])
def test_expand(pattern, expected):
    assert expand_hosts(pattern) == expected


def test_large_range_is_ordered_and_unique():
    names = expand_hosts('worker[0001:5000].dc1.example.com')
    assert len(names) == len(set(names)) == 5000
    assert names[0] == 'worker0001.dc1.example.com' and names[-1] == 'worker5000.dc1.example.com'


@pytest.mark.parametrize('pattern, message', [
    ('worker[01:4]', "range [01:4] has a zero-padded start of width 2 but an end of width 1"),
    ('worker[10:1]', "range [10:1] counts down; write [1:10]"),
    ('worker[1:3', 'unbalanced or nested brackets'),
    ('worker1:3]', 'unbalanced or nested brackets'),
    ('worker[[1:3]]', 'unbalanced or nested brackets'),
    ('worker[1-3]', 'range [1-3] must be [start:end] or [start:end:step]'),
    ('worker[]', 'range [] must be [start:end] or [start:end:step]'),
    ('worker[1:]', 'range [1:] must be [start:end] or [start:end:step]'),
    ('worker[1:2:3:4]', 'must be [start:end] or [start:end:step]'),
    ('worker[1:a]', 'range [1:a] mixes digits and letters'),
    ('worker[1:9:0]', 'the step of range [1:9:0] must be a whole number of 1 or more'),
    ('worker[1:9:x]', 'the step of range [1:9:x] must be a whole number'),
    ('worker[c:a]', 'letter range [c:a] must go forward'),
    ('worker[a:C]', 'letter range [a:C] must go forward within one case'),
    ('worker[aa:ab]', 'a letter range takes single letters'),
    ('bad host', 'cannot contain spaces'),
    ('', 'a host name must be a non-empty string'),
    (None, 'a host name must be a non-empty string'),
])
def test_bad_patterns_name_the_pattern_and_the_fix(pattern, message):
    with pytest.raises(HostRangeError) as err:
        expand_hosts(pattern)
    assert message in str(err.value)
    if pattern:
        assert repr(pattern)[1:-1] in str(err.value) or pattern in str(err.value)
