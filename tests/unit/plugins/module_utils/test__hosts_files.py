# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._hosts_files import (
    HostsFileError, hdfs_entry_state, parse_hdfs_hosts, parse_yarn_exclude, parse_yarn_include, plan_hdfs_hosts,
    plan_yarn_hosts, render_hdfs_hosts, render_yarn_exclude, render_yarn_include)

W1, W2, W3 = 'w1.example.com', 'w2.example.com', 'w3.example.com'


def entries(*pairs):
    result = []
    for host, state in pairs:
        entry = {'hostName': host}
        if state:
            entry['adminState'] = state
        result.append(entry)
    return result


def test_parse_accepts_array_and_one_object_per_line():
    array = json.dumps(entries((W1, None), (W2, 'DECOMMISSIONED')))
    lines = '\n'.join(json.dumps(e) for e in entries((W1, None), (W2, 'DECOMMISSIONED')))
    assert parse_hdfs_hosts(array) == parse_hdfs_hosts(lines)
    assert parse_hdfs_hosts('') == []


@pytest.mark.parametrize('text', ['{not json', '[{"port": 9866}]', '"w1"'])
def test_parse_rejects_what_the_namenode_would_not_read(text):
    with pytest.raises(HostsFileError):
        parse_hdfs_hosts(text)


def test_render_round_trips_sorted():
    text = render_hdfs_hosts(entries((W2, 'IN_MAINTENANCE'), (W1, None)))
    assert [e['hostName'] for e in parse_hdfs_hosts(text)] == [W1, W2]
    assert render_hdfs_hosts(parse_hdfs_hosts(text)) == text


def test_members_are_admitted_without_touching_listed_states():
    current = entries((W1, None), (W2, 'DECOMMISSIONED'))
    new, changes = plan_hdfs_hosts(current, [], 'in_service', members=[W1, W2, W3])
    assert [hdfs_entry_state(e) for e in new] == ['in_service', 'decommissioned', 'in_service']
    assert changes == [{'host': W3, 'before': None, 'after': 'in_service'}]


def test_members_run_twice_changes_nothing():
    new = plan_hdfs_hosts([], [], 'in_service', members=[W1, W2])[0]
    again, changes = plan_hdfs_hosts(new, [], 'in_service', members=[W1, W2])
    assert again == new and changes == []


def test_decommission_and_back_keep_other_keys():
    current = [{'hostName': W1, 'port': 9866, 'upgradeDomain': 'ud1'}]
    new, changes = plan_hdfs_hosts(current, [W1], 'decommissioned')
    assert new == [{'hostName': W1, 'port': 9866, 'upgradeDomain': 'ud1', 'adminState': 'DECOMMISSIONED'}]
    assert changes == [{'host': W1, 'before': 'in_service', 'after': 'decommissioned'}]
    back, changes = plan_hdfs_hosts(new, [W1], 'in_service')
    assert back == current
    assert changes == [{'host': W1, 'before': 'decommissioned', 'after': 'in_service'}]


def test_unexpired_maintenance_keeps_its_expiry():
    new = plan_hdfs_hosts(entries((W1, None)), [W1], 'in_maintenance', expiry_ms=2000, now_ms=1000)[0]
    assert new[0]['maintenanceExpireTimeInMS'] == 2000
    again, changes = plan_hdfs_hosts(new, [W1], 'in_maintenance', expiry_ms=2500, now_ms=1500)
    assert again == new and changes == []
    # Expired: a new run starts a new maintenance.
    renewed = plan_hdfs_hosts(new, [W1], 'in_maintenance', expiry_ms=9000, now_ms=3000)[0]
    assert renewed[0]['maintenanceExpireTimeInMS'] == 9000


def test_decommissioned_hosts_leave_the_file_with_the_inventory():
    current = entries((W1, None), (W2, 'DECOMMISSIONED'), (W3, None))
    new, changes = plan_hdfs_hosts(current, [], 'in_service', members=[W1])
    # W3 is in service: dropping it would be an ungraceful removal, it stays.
    assert [e['hostName'] for e in new] == [W1, W3]
    assert changes == [{'host': W2, 'before': 'decommissioned', 'after': None}]


def test_yarn_files_round_trip():
    excluded = {W2: 600, W3: None}
    assert parse_yarn_exclude(render_yarn_exclude(excluded)) == excluded
    assert parse_yarn_include(render_yarn_include([W2, W1, W1])) == [W1, W2]
    assert parse_yarn_exclude('') == {}
    with pytest.raises(HostsFileError):
        parse_yarn_exclude('<hosts><host>')


def test_yarn_plan():
    included, excluded, changes = plan_yarn_hosts([], {}, [], 'in_service', members=[W1, W2])
    assert (included, excluded) == ([W1, W2], {})
    assert [c['host'] for c in changes] == [W1, W2]
    included, excluded, changes = plan_yarn_hosts(included, excluded, [W2], 'decommissioned', timeout=300)
    assert (included, excluded) == ([W1, W2], {W2: 300})
    assert changes == [{'host': W2, 'before': 'in_service', 'after': 'decommissioned'}]
    # The deployment's members run keeps the exclusion.
    again = plan_yarn_hosts(included, excluded, [], 'in_service', members=[W1, W2])
    assert again == (included, excluded, [])
    # Out of the inventory: out of both files.
    gone = plan_yarn_hosts(included, excluded, [], 'in_service', members=[W1])
    assert gone == ([W1], {}, [{'host': W2, 'before': 'decommissioned', 'after': None}])
    back = plan_yarn_hosts(included, excluded, [W2], 'in_service')
    assert back[:2] == ([W1, W2], {})
