# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import (
    highest_replication, lowest_replication, open_blocks_on, parse_fsck)
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


def raw_count(name, label):
    """The number after `label:` on the one raw summary line that carries it."""
    line, = [line for line in raw_lines(name, label + ':') if line.strip().startswith(label + ':')]
    return int(line.split(':', 1)[1].split()[0])


def raw_files(name):
    """(path, replication, N) of each raw `... replication=R, N block(s)` file line."""
    result = []
    for line in raw_lines(name, ' bytes, replicated: '):
        replication, blocks = line.split('replication=', 1)[1].split(' block(s)')[0].split(', ')
        result.append((line.split(' ')[0], int(replication), int(blocks)))
    return result


def raw_block_counts(name):
    return [(path, blocks) for path, dummy, blocks in raw_files(name)]


def files_only(name):
    """Derived: the capture without its block lines, as fsck prints / without
    blocks=1 (the listing a rolling restart is planned from)."""
    text = captured_bytes(name).decode()
    kept = [line for line in text.splitlines(True)
            if not (line[:1].isdigit() and '. BP-' in line) and not line.startswith('Under Construction Block:')]
    assert len(kept) < len(text.splitlines(True))
    return ''.join(kept)


@pytest.mark.parametrize('name', [OPEN, AFTER])
@pytest.mark.parametrize('key, label', [
    ('mis_replicated_blocks', 'Mis-replicated blocks'),
    ('datanodes', 'Number of data-nodes'),
    ('racks', 'Number of racks'),
    ('under_replicated_blocks', 'Under-replicated blocks'),
])
def test_summary_counts_from_the_raw_lines(name, key, label):
    assert parse_fsck(captured_bytes(name))['summary'][key] == raw_count(name, label)


def test_data_nodes_are_read_not_defaulted():
    # Two DataNodes held the blocks under /tmp, three those of /.
    assert raw_count(OPEN, 'Number of data-nodes') != raw_count(AFTER, 'Number of data-nodes')
    assert parse_fsck(captured_bytes(OPEN))['summary']['datanodes'] != \
        parse_fsck(captured_bytes(AFTER))['summary']['datanodes']


def test_derived_racks_and_mis_replicated_blocks():
    # Derived: the captured summary lines with other counts, as on a cluster
    # with two racks whose blocks were written before the topology was set.
    text = captured_bytes(AFTER).decode()
    for label in ('Number of racks', 'Mis-replicated blocks'):
        line, = [line for line in text.splitlines() if line.strip().startswith(label + ':')]
        text = text.replace(line, re.sub(r':(\s*)\d+', r':\g<1>7', line, 1), 1)
    summary = parse_fsck(text)['summary']
    assert summary['racks'] == 7 and summary['mis_replicated_blocks'] == 7
    assert summary['datanodes'] == raw_count(AFTER, 'Number of data-nodes')


def test_only_the_replicated_blocks_section_counts():
    # The erasure-coded section repeats "Total files:" (0 there).
    totals = [int(line.split(':', 1)[1]) for line in raw_lines(AFTER, 'Total files:')]
    assert len(totals) == 2 and totals[0] != totals[1]
    assert parse_fsck(captured_bytes(AFTER))['summary']['total_files'] == totals[0]


@pytest.mark.parametrize('name', [OPEN, AFTER])
def test_block_count_of_each_file(name):
    report = parse_fsck(captured_bytes(name))
    assert [(f['path'], f['block_count']) for f in report['files']] == raw_block_counts(name)
    # With blocks=1 the blocks are listed too, the under-construction one included.
    assert all(f['block_count'] == len(f['blocks']) for f in report['files'])


def test_block_count_without_the_block_lines():
    report = parse_fsck(files_only(AFTER))
    assert [(f['path'], f['block_count']) for f in report['files']] == raw_block_counts(AFTER)
    assert all(f['blocks'] == [] for f in report['files'])
    assert any(f['block_count'] for f in report['files'])


def test_lowest_replication_of_files_with_blocks():
    report = parse_fsck(files_only(AFTER))
    with_blocks = [(path, replication) for path, replication, blocks in raw_files(AFTER) if blocks]
    lowest = min(replication for dummy, replication in with_blocks)
    first = [path for path, replication in with_blocks if replication == lowest][0]
    assert lowest_replication(report) == (lowest, first)
    # A lower factor on a later file with blocks wins.
    later = with_blocks[-1][0]
    assert later != first
    [f for f in report['files'] if f['path'] == later][0]['replication'] = lowest - 1
    assert lowest_replication(report) == (lowest - 1, later)


def test_lowest_replication_ignores_files_without_blocks():
    # Derived: the raw line of an empty file (0 block(s)) with replication=1.
    empty = [line for line in raw_lines(AFTER, ' bytes, replicated: ') if ' 0 block(s)' in line][0]
    text = captured_bytes(AFTER).decode().replace(empty, empty.replace('replication=2', 'replication=1'), 1)
    report = parse_fsck(text)
    assert [f['replication'] for f in report['files'] if f['path'] == empty.split(' ')[0]] == [1]
    assert lowest_replication(report) == lowest_replication(parse_fsck(captured_bytes(AFTER)))
    assert lowest_replication(report)[0] == min(r for dummy, r, blocks in raw_files(AFTER) if blocks) > 1


def test_lowest_replication_without_any_block():
    report = parse_fsck(files_only(AFTER))
    empty = dict(report, files=[f for f in report['files'] if not f['block_count']])
    assert empty['files']
    assert lowest_replication(empty) == (0, None)
    assert lowest_replication({'files': []}) == (0, None)
