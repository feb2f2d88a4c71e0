# -*- coding: utf-8 -*-
"""A daemon's lifecycle decisions: the state its unit is put in, and its restart marker."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._service import daemon_state, marker_actions


@pytest.mark.parametrize('unit_changed, pending, retired, defer, requested, expected', [
    (False, False, False, False, False, ('started', False)),
    (True, False, False, False, False, ('restarted', True)),
    (False, True, False, False, False, ('restarted', True)),
    (False, False, False, False, True, ('restarted', True)),
    # Deferred: the rolling restart of the role restarts it.
    (True, False, False, True, False, ('started', True)),
    (False, True, False, True, True, ('started', True)),
    # Retired: stopped, whatever is pending.
    (True, True, True, False, True, ('stopped', True)),
    (False, False, True, True, False, ('stopped', False)),
])
def test_the_state_of_the_unit(unit_changed, pending, retired, defer, requested, expected):
    assert daemon_state(unit_changed, pending, retired, defer, requested) == expected


@pytest.mark.parametrize('unit_changed, pending, retired, deferred, expected', [
    (False, False, False, False, None),
    # A deferred restart of a changed unit is kept on the host for the rolling restart.
    (True, False, False, True, 'write'),
    (True, True, False, True, 'write'),
    # A deferred restart that was already pending stays.
    (False, True, False, True, None),
    # Restarted (or started from stopped): forgotten.
    (False, True, False, False, 'remove'),
    (True, True, False, False, 'remove'),
    # A retired daemon's record stays for when it comes back.
    (False, True, True, False, None),
])
def test_the_restart_marker(unit_changed, pending, retired, deferred, expected):
    assert marker_actions(unit_changed, pending, retired, deferred) == expected
