# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import (
    highest_replication, open_blocks_on, parse_fsck)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import captured_bytes

# Captured with a writer holding /tmp/openfile3.txt._COPYING_ open (one block
# under construction on 172.18.0.4 and 172.18.0.3), then again after
# 172.18.0.3 (df-worker1) reached Decommissioned with that block still open.
OPEN = 'fsck_openforwrite_uc_block.txt'
AFTER = 'fsck_openforwrite_uc_on_decommissioned.txt'


def raw_lines(name, marker):
    return [line for line in captured_bytes(name).decode().splitlines() if marker in line]


def test_files_and_summary():
    report = parse_fsck(captured_bytes(AFTER))
    listed = [line.split(' ')[0] for line in raw_lines(AFTER, ' bytes, replicated: ')]
    assert [f['path'] for f in report['files']] == listed
    assert report['summary']['default_replication'] == 2
    assert report['summary']['missing_blocks'] == 0
    assert report['summary']['corrupt_blocks'] == 0
    assert report['summary']['total_files'] == len(listed)


def test_blocks_carry_their_replica_addresses():
    report = parse_fsck(captured_bytes(AFTER))
    jars = [f for f in report['files'] if f['path'].endswith('spark-jars.zip')][0]
    assert len(jars['blocks']) == 4  # "4 block(s)" in the report
    assert all(len(b['locations']) == 3 for b in jars['blocks'])
    assert all(not b['under_construction'] for b in jars['blocks'])


def test_open_file_and_its_under_construction_block():
    report = parse_fsck(captured_bytes(OPEN))
    open_files = [f for f in report['files'] if f['open']]
    assert [f['path'] for f in open_files] == ['/tmp/openfile3.txt._COPYING_']
    block = open_files[0]['blocks'][0]
    assert block['under_construction']
    assert block['locations'] == ['172.18.0.4:9866', '172.18.0.3:9866']


def test_open_blocks_on_leaving_nodes():
    open_files = [f for f in parse_fsck(captured_bytes(AFTER))['files'] if f['open']]
    found = open_blocks_on(open_files, ['172.18.0.3:9866'])
    assert found == [{'path': '/tmp/openfile3.txt._COPYING_', 'block': open_files[0]['blocks'][0]['block'],
                      'on': ['172.18.0.3:9866'], 'elsewhere': ['172.18.0.4:9866']}]
    # Both pipeline nodes leaving: the block would have no replica left.
    both = open_blocks_on(open_files, ['172.18.0.3:9866', '172.18.0.4:9866'])
    assert both[0]['elsewhere'] == []
    assert open_blocks_on(open_files, ['172.18.0.5:9866']) == []


def test_highest_replication():
    report = parse_fsck(captured_bytes(AFTER))
    assert highest_replication(report) == (2, report['files'][0]['path'])
    report['files'][3]['replication'] = 5
    assert highest_replication(report) == (5, report['files'][3]['path'])
    assert highest_replication({'files': []}) == (0, None)
