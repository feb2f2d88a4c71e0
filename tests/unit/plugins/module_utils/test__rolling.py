# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import parse_fsck
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import (
    SILENT_PROBLEM, SILENT_WAIT, batch_size, corrupt_allowance, dead_outside, gate, plan, plan_batches, plan_problems,
    silent_outside, stuck_corrupt)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import bean, captured_bytes, fsck_replica_states

# Three DataNodes df-worker1..3 on one rack (captured on a sandbox cluster,
# replication 2); in the "dead" capture df-worker2 had stopped (two workers).
W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'
# The files of / with their replication factors (all 2), some without blocks.
FSCK = 'fsck_openforwrite_uc_on_decommissioned.txt'


def facts(info='nn_jmx_NameNodeInfo_recommissioned.json', state='nn_jmx_FSNamesystemState_decommissioned.json',
          system='nn_jmx_FSNamesystem_decommissioned.json'):
    beans = [bean(b) if isinstance(b, str) else b for b in (info, state, system)]
    return namenode_facts(bean('nn_jmx_NameNodeStatus.json'), beans[1], beans[2], beans[0])


def info_with(name, key, host, **changes):
    """Derived: a captured NameNodeInfo with fields of one node of LiveNodes or DeadNodes changed."""
    info = bean(name)
    nodes = json.loads(info[key])
    nodes[host + ':9866'].update(changes)
    info[key] = json.dumps(nodes)
    return info


def raw_count(text, label):
    line, = [line for line in text.splitlines() if line.strip().startswith(label + ':')]
    return int(line.split(':', 1)[1].split()[0])


def fsck_text(**counts):
    """The captured fsck of /, with summary counts changed (derived) by label."""
    text = captured_bytes(FSCK).decode()
    for label, value in counts.items():
        line, = [line for line in text.splitlines() if line.strip().startswith(label + ':')]
        text = text.replace(line, re.sub(r':(\s*)\d+', r':\g<1>%d' % value, line, 1), 1)
    return text


def listing(text=None):
    return parse_fsck(text if text is not None else captured_bytes(FSCK))


def files_with_blocks(text):
    """(path, replication) of the raw file lines that have blocks."""
    found = []
    for line in text.splitlines():
        match = re.match(r'^(/\S*) \d+ bytes, replicated: replication=(\d+), (\d+) block', line)
        if match and int(match.group(3)):
            found.append((match.group(1), int(match.group(2))))
    return found


def two_racks(mis_replicated=0):
    """Derived: fsck counting two racks (and the given mis-replicated blocks),
    the NameNode placing W3 on a second rack."""
    text = fsck_text(**{'Number of racks': 2, 'Mis-replicated blocks': mis_replicated})
    info = info_with('nn_jmx_NameNodeInfo_recommissioned.json', 'LiveNodes', W3, location='/rack-b')
    return facts(info=info), listing(text)


def with_replication_one(text):
    """Derived: the raw line of the last file with blocks at replication=1."""
    path = files_with_blocks(text)[-1][0]
    line, = [line for line in text.splitlines() if line.startswith(path + ' ')]
    return text.replace(line, line.replace('replication=2', 'replication=1'), 1), path


# batch_size ----------------------------------------------------------------

@pytest.mark.parametrize('lowest, expected', [(1, 1), (2, 1), (3, 1), (4, 2), (5, 3)])
def test_batch_size_by_replication(lowest, expected):
    assert batch_size(lowest, 20) == expected


@pytest.mark.parametrize('lowest', [3, 4, 5])
def test_batch_size_keeps_two_replicas(lowest):
    assert lowest - batch_size(lowest, 20) == 2


@pytest.mark.parametrize('lowest, datanodes, expected', [
    (5, 5, 3), (5, 4, 2), (5, 3, 1), (5, 2, 1), (4, 3, 1), (3, 3, 1), (2, 2, 1), (3, 1, 1),
])
def test_batch_size_with_few_datanodes(lowest, datanodes, expected):
    assert batch_size(lowest, datanodes) == expected


# plan_batches ----------------------------------------------------------------

def test_batches_by_size_keep_the_order():
    pending = [W3, W1, W2]
    assert plan_batches(pending) == [[W3], [W1], [W2]]
    assert plan_batches(pending, size=2) == [[W3, W1], [W2]]
    assert plan_batches(pending, size=5) == [[W3, W1, W2]]
    assert plan_batches([], size=2) == []


def test_batches_by_rack_keep_the_order_within_a_rack():
    racks = {W1: '/rack-b', W2: '/rack-a', W3: '/rack-b'}
    assert plan_batches([W3, W2, W1], racks=racks) == [[W2], [W3, W1]]
    # A host the map does not know goes with the hosts of no rack.
    assert plan_batches([W1, 'new.example.com'], racks=racks) == [['new.example.com'], [W1]]


def test_batches_by_rack_from_the_captured_locations():
    racks = dict((n['host'], n['rack']) for n in facts()['live_nodes'])
    assert plan_batches([W2, W1, W3], racks=racks) == [[W2, W1, W3]]


# plan --------------------------------------------------------------------------

def test_one_rack_takes_the_lowest_replication_rule():
    text = captured_bytes(FSCK).decode()
    path, replication = files_with_blocks(text)[0]
    assert raw_count(text, 'Number of racks') == 1
    assert replication == 2  # one host at a time keeps a replica
    result = plan(facts(), listing(), [W1, W2, W3])
    assert result['batches'] == [[W1], [W2], [W3]]
    assert result['rule'] == '1 host(s) at a time (lowest replication %s, of %s)' % (replication, path)
    assert (result['lowest_replication'], result['lowest_replication_path']) == (replication, path)
    assert result['racks'] == raw_count(text, 'Number of racks')
    assert result['under_replicated'] == bean('nn_jmx_FSNamesystemState_decommissioned.json')['UnderReplicatedBlocks']
    assert result['problems'] == []


def test_size_asked_for_wins_even_over_racks():
    f, report = two_racks()
    result = plan(f, report, [W1, W2, W3], size=2)
    assert result['batches'] == [[W1, W2], [W3]]
    assert result['rule'] == '2 host(s) at a time (asked for)'
    result = plan(facts(), listing(), [W1, W2, W3], size=3)
    assert result['batches'] == [[W1, W2, W3]]


def test_two_racks_and_no_mis_replicated_block_go_by_rack():
    f, report = two_racks()
    result = plan(f, report, [W3, W1, W2])
    assert result['batches'] == [[W1, W2], [W3]]
    assert result['rule'] == 'one rack at a time (2 racks, every block on two racks or more)'
    assert result['racks'] == 2


def test_two_racks_with_mis_replicated_blocks_do_not_go_by_rack():
    f, report = two_racks(mis_replicated=3)
    result = plan(f, report, [W3, W1, W2])
    assert result['batches'] == [[W3], [W1], [W2]]
    assert result['rule'].startswith('1 host(s) at a time (lowest replication ')


def test_two_racks_with_a_file_of_replication_one_do_not_go_by_rack():
    f, dummy = two_racks()
    text, path = with_replication_one(fsck_text(**{'Number of racks': 2}))
    result = plan(f, listing(text), [W1, W2, W3])
    assert result['batches'] == [[W1], [W2], [W3]]
    assert result['rule'] == '1 host(s) at a time (lowest replication 1, of %s)' % path
    assert result['lowest_replication'] == 1 and result['lowest_replication_path'] == path
    assert len(result['warnings']) == 1 and result['warnings'][0].startswith('%s has one replica' % path)


def test_no_warning_without_replication_one():
    assert plan(facts(), listing(), [W1, W2, W3])['warnings'] == []


def test_a_dead_pending_datanode_goes_first_in_a_batch_of_its_own():
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    result = plan(f, listing(), [W1, W2])
    assert result['batches'] == [[W2], [W1]]
    assert result['problems'] == []


def test_batch_size_counts_live_datanodes_only():
    # Derived: replication 5 on every file; five DataNodes known, two of them
    # dead at the NameNode (W4, W5 copies of W3 in DeadNodes).
    text = captured_bytes(FSCK).decode().replace('replication=2', 'replication=5')
    info = bean('nn_jmx_NameNodeInfo_recommissioned.json')
    live = json.loads(info['LiveNodes'])
    dead = {}
    for name in ('df-worker4.dfsandbox:9866', 'df-worker5.dfsandbox:9866'):
        dead[name] = dict(live[W3 + ':9866'], adminState='Decommissioned', decommissioned=True)
    info['DeadNodes'] = json.dumps(dead)
    result = plan(facts(info=info), listing(text), [W1, W2, W3])
    # Three live: at most 3 - 2 = 1 host per batch, not min(5 - 2, 5 - 2) = 3.
    assert result['batches'] == [[W1], [W2], [W3]]


def test_no_file_with_blocks():
    report = listing()
    report['files'] = [entry for entry in report['files'] if not entry['block_count']]
    assert report['files']
    result = plan(facts(), report, [W1, W2, W3])
    assert result['batches'] == [[W1], [W2], [W3]]
    assert result['rule'] == '1 host(s) at a time (no file has blocks)'
    assert result['lowest_replication'] == 0 and result['lowest_replication_path'] is None


def test_rack_count_from_the_namenode_without_an_fsck_summary():
    info = info_with('nn_jmx_NameNodeInfo_recommissioned.json', 'LiveNodes', W3, location='/rack-b')
    result = plan(facts(info=info), {'files': listing()['files'], 'summary': {}}, [W1, W2, W3])
    assert result['racks'] == 2
    # Without fsck's mis-replicated count, not by rack.
    assert result['batches'] == [[W1], [W2], [W3]]


def test_plan_carries_the_problems():
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    result = plan(f, listing(), [W1])
    assert result['problems'] == plan_problems(f, [W1]) != []
    assert result['under_replicated'] == bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks'] > 0


# plan_problems --------------------------------------------------------------

def test_no_problem_on_the_healthy_cluster():
    assert plan_problems(facts(), [W1, W2, W3]) == []


@pytest.mark.parametrize('key', ['missing', 'corrupt'])
def test_missing_or_corrupt_blocks(key):
    f = facts()
    f['blocks'][key] = 4
    problems = plan_problems(f, [W1])
    assert len(problems) == 1
    expected = '4 missing blocks and 0' if key == 'missing' else '0 missing blocks and 4'
    assert problems[0].startswith('HDFS has %s blocks with a corrupt replica' % expected)
    assert 'hdfs fsck / -list-corruptfileblocks' in problems[0]


@pytest.mark.parametrize('corrupt, open_under, refused', [(1, 1, False), (2, 1, True), (1, 0, True)])
def test_corrupt_replicas_of_files_open_for_write_are_allowed(corrupt, open_under, refused):
    f = facts()
    f['blocks']['corrupt'] = corrupt
    problems = plan_problems(f, [W1], open_under)
    assert bool(problems) is refused
    if refused and open_under:
        assert '(%s of them allowed: open for write' % open_under in problems[0]


# Blocks whose corrupt replica HDFS cannot replace ---------------------------------

A3, A4, A5 = '172.18.0.3:9866', '172.18.0.4:9866', '172.18.0.5:9866'  # W1, W2, W3 in the captures
BIG = '/tmp/big.bin'


class ReplicaFsck(object):
    """An fsck that answers the replica report with `text` and counts the reads."""

    def __init__(self, text):
        self.text = text
        self.reads = 0

    def report(self, path='/', blocks=False, replicas=False):
        assert path == '/' and replicas
        self.reads += 1
        return parse_fsck(self.text)

    def open_files_with_blocks(self, listing):
        return []


def corrupt_facts(corrupt=1):
    f = facts()
    f['blocks']['corrupt'] = corrupt
    return f


# Captured: two DataNodes, replication 2, /tmp/stuck2.bin with its live
# replica on df-worker2 and a corrupt one on df-worker1 (captured/README.md).
STUCK_FSCK = 'fsck_replicadetails_stuck_corrupt.txt'
STUCK_W1, STUCK_W2 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox'


def stuck_facts():
    names = ('NameNodeInfo', 'FSNamesystemState', 'FSNamesystem')
    beans = [bean('nn_jmx_%s_stuck_corrupt.json' % name) for name in names]
    return namenode_facts(bean('nn_jmx_NameNodeStatus_stuck_corrupt.json'), beans[1], beans[2], beans[0])


def test_captured_a_corrupt_replica_on_the_only_other_datanode_is_stuck():
    facts_ = stuck_facts()
    assert facts_['blocks']['corrupt'] == 1
    text = captured_bytes(STUCK_FSCK)
    files = parse_fsck(captured_bytes('fsck_files_stuck_corrupt.txt'))
    fsck = ReplicaFsck(text)
    stuck = stuck_corrupt(facts_, fsck, files)
    block = [e for e in parse_fsck(text)['files'] if e['path'] == '/tmp/stuck2.bin'][0]['blocks'][0]['block']
    assert stuck == [{'path': '/tmp/stuck2.bin', 'block': block, 'live': ['172.21.0.4:9866'],
                      'corrupt': ['172.21.0.3:9866']}]
    assert corrupt_allowance(facts_, fsck, files) == (1, stuck)
    # Refused without the allowance, allowed with it; the batch of df-worker2
    # gets the warning, that of df-worker1 (the corrupt replica) none.
    assert plan_problems(facts_, [STUCK_W1, STUCK_W2], 0)
    result = plan(facts_, files, [STUCK_W1, STUCK_W2], 0, 1, stuck)
    assert result['problems'] == [] and result['batches'] == [[STUCK_W1], [STUCK_W2]]
    warning, = [w for w in result['warnings'] if '/tmp/stuck2.bin' in w]
    assert 'a corrupt replica on %s that HDFS cannot replace' % STUCK_W1 in warning
    assert 'its live replicas, on %s, are unreadable while that batch restarts' % STUCK_W2 in warning
    # The gate after either batch is not held by it.
    assert gate(facts_, [STUCK_W1], facts_['blocks']['under_replicated'], 1)[0] is True


def test_fsck_reads_the_state_of_each_replica():
    text = fsck_replica_states(BIG, [(A5, 'CORRUPT'), (A4, 'LIVE')])
    block = [e for e in parse_fsck(text)['files'] if e['path'] == BIG][0]['blocks'][0]
    assert block['locations'] == [A5, A4]
    assert block['states'] == {A5: 'CORRUPT', A4: 'LIVE'}
    # Without replicadetails (the capture as it is) no state.
    plain = [e for e in listing()['files'] if e['path'] == BIG][0]['blocks'][0]
    assert plain['states'] == {} and plain['locations'] == [A5, A4]


def test_a_corrupt_replica_on_every_other_datanode_is_stuck():
    """Three DataNodes, replication 3: one live replica and a corrupt one on
    each other DataNode leave HDFS nowhere to copy the live one."""
    text = fsck_replica_states(BIG, [(A5, 'CORRUPT'), (A4, 'LIVE'), (A3, 'CORRUPT')], replication=3)
    fsck = ReplicaFsck(text)
    stuck = stuck_corrupt(corrupt_facts(), fsck, parse_fsck(text))
    block = [e for e in parse_fsck(text)['files'] if e['path'] == BIG][0]['blocks'][0]['block']
    assert stuck == [{'path': BIG, 'block': block, 'live': [A4], 'corrupt': [A3, A5]}]
    assert corrupt_allowance(corrupt_facts(), fsck, parse_fsck(text)) == (1, stuck)
    # The plan goes on, with a warning for the batch that holds the live replica.
    result = plan(corrupt_facts(), parse_fsck(text), [W1, W2, W3], 0, 1, stuck)
    assert result['problems'] == []
    warning, = [w for w in result['warnings'] if BIG in w]
    assert '%s has corrupt replicas on %s, %s that HDFS cannot replace' % (BIG, W1, W3) in warning
    assert 'its live replicas, on %s, are unreadable while that batch restarts' % W2 in warning


@pytest.mark.parametrize('states', [
    [(A5, 'CORRUPT'), (A4, 'LIVE')],  # W1 can take a copy: HDFS replaces the corrupt replica
    [(A5, 'CORRUPT'), (A4, 'CORRUPT'), (A3, 'CORRUPT')],  # no live replica left
])
def test_a_corrupt_replica_that_heals_or_has_no_live_one_is_not_stuck(states):
    text = fsck_replica_states(BIG, states, replication=3)
    assert stuck_corrupt(corrupt_facts(), ReplicaFsck(text), parse_fsck(text)) == []
    allowed, stuck = corrupt_allowance(corrupt_facts(), ReplicaFsck(text), parse_fsck(text))
    assert (allowed, stuck) == (0, [])
    assert plan_problems(corrupt_facts(), [W1, W2, W3], allowed)


def test_the_replicas_are_read_only_when_it_can_matter():
    stuck_text = fsck_replica_states(BIG, [(A5, 'CORRUPT'), (A4, 'LIVE'), (A3, 'CORRUPT')], replication=3)
    # No block with a corrupt replica beyond the allowed ones.
    fsck = ReplicaFsck(stuck_text)
    assert stuck_corrupt(corrupt_facts(1), fsck, parse_fsck(stuck_text), allowed=1) == []
    assert corrupt_allowance(corrupt_facts(0), fsck, parse_fsck(stuck_text)) == (0, [])
    # More live DataNodes (3) than the highest replication factor (2): a
    # corrupt replica always has a DataNode to be replaced on.
    two = fsck_replica_states(BIG, [(A5, 'CORRUPT'), (A4, 'LIVE')])
    assert stuck_corrupt(corrupt_facts(), fsck, parse_fsck(two)) == []
    assert fsck.reads == 0


def test_a_corrupt_replica_of_an_open_file_is_not_counted_as_stuck():
    text = fsck_replica_states(BIG, [(A5, 'CORRUPT'), (A4, 'LIVE'), (A3, 'CORRUPT')], replication=3)
    text = text.replace(b'/tmp/big.bin 150000000 bytes, replicated: replication=3, 2 block(s):',
                        b'/tmp/big.bin 150000000 bytes, replicated: replication=3, 2 block(s), OPENFORWRITE:')
    assert [e['open'] for e in parse_fsck(text)['files'] if e['path'] == BIG] == [True]
    assert stuck_corrupt(corrupt_facts(), ReplicaFsck(text), parse_fsck(text)) == []


def test_the_gate_allows_stuck_blocks():
    f = corrupt_facts()
    f['blocks']['under_replicated'] = 1
    assert gate(f, [W2], 0, 1)[0] is True
    done, problems, waiting = gate(f, [W2], 0, 0)
    assert not done and not problems and waiting == ['1 blocks with a corrupt replica', '1 under-replicated blocks '
                                                     '(0 before the batch)']


def test_safe_mode():
    f = facts('nn_jmx_NameNodeInfo_safemode_manual.json', 'nn_jmx_FSNamesystemState_safemode_manual.json',
              'nn_jmx_FSNamesystem_safemode_manual.json')
    problems = plan_problems(f, ['localhost'])
    assert problems == ['the NameNode is in safe mode (%s): leave it (`hdfs dfsadmin -safemode leave` once the '
                        'DataNodes have reported) and run again.'
                        % bean('nn_jmx_NameNodeInfo_safemode_manual.json')['Safemode'].strip()]


def test_dead_in_service_datanode_outside_the_restart():
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    dead = json.loads(bean('nn_jmx_NameNodeInfo_dead.json')['DeadNodes'])
    assert [name.split(':')[0] for name in dead] == [W2]
    problems = plan_problems(f, [W1])
    assert len(problems) == 1
    assert problems[0].startswith('the in-service DataNodes %s are dead at the NameNode' % W2)
    assert dead_outside(f, [W1]) == [W2]


@pytest.mark.parametrize('pending', [[W2], [W1, W2], [W2, W3]])
def test_a_pending_dead_datanode_is_not_a_problem(pending):
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    assert plan_problems(f, pending) == []
    assert dead_outside(f, pending) == []


def test_a_dead_decommissioned_datanode_is_not_a_problem():
    # Derived: the captured dead node as the NameNode lists a decommissioned one.
    info = info_with('nn_jmx_NameNodeInfo_dead.json', 'DeadNodes', W2, adminState='Decommissioned', decommissioned=True)
    assert plan_problems(facts(info, 'nn_jmx_FSNamesystemState_dead.json'), [W1]) == []


@pytest.mark.parametrize('decommissioned, problem', [(True, False), (False, True)])
def test_dead_node_without_admin_state(decommissioned, problem):
    # Derived: a DeadNodes entry without adminState: the decommissioned flag decides.
    info = bean('nn_jmx_NameNodeInfo_dead.json')
    nodes = json.loads(info['DeadNodes'])
    del nodes[W2 + ':9866']['adminState']
    nodes[W2 + ':9866']['decommissioned'] = decommissioned
    info['DeadNodes'] = json.dumps(nodes)
    assert bool(plan_problems(facts(info, 'nn_jmx_FSNamesystemState_dead.json'), [W1])) is problem


def silent(host, seconds):
    """Derived: the captured healthy cluster with `host` last heard from `seconds` ago (a stopped or hung
    DataNode stays live at the NameNode for minutes)."""
    return facts(info_with('nn_jmx_NameNodeInfo_recommissioned.json', 'LiveNodes', host, lastContact=seconds))


@pytest.mark.parametrize('seconds, problem', [(SILENT_PROBLEM, False), (SILENT_PROBLEM + 1, True), (600, True)])
def test_a_silent_datanode_outside_the_restart(seconds, problem):
    problems = plan_problems(silent(W3, seconds), [W1])
    assert bool(problems) is problem
    if problem:
        assert problems == [
            'the in-service DataNodes %s (%s s) have sent no heartbeat to the NameNode for %s s or more, and they '
            'are not part of this restart: they are stopped or hung, and restarting more DataNodes now could leave '
            'blocks without a live replica. Start them (or decommission them), then run again.'
            % (W3, seconds, SILENT_PROBLEM)]
    # Part of the restart, its silence is what the restart is for.
    assert plan_problems(silent(W3, seconds), [W1, W3]) == []


def test_silent_outside_reads_last_contact():
    assert silent_outside(facts(), [], 0) == [] or all(s <= 2 for dummy, s in silent_outside(facts(), [], 0))
    assert silent_outside(silent(W2, 45), [W1], SILENT_WAIT) == [(W2, 45)]
    assert silent_outside(silent(W2, 45), [W2], SILENT_WAIT) == []
    # Derived: a decommissioned DataNode is out of service; its silence does not count.
    info = info_with('nn_jmx_NameNodeInfo_recommissioned.json', 'LiveNodes', W2, lastContact=45,
                     adminState='Decommissioned')
    assert silent_outside(facts(info), [W1], SILENT_WAIT) == []


def test_all_problems_together():
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    f['blocks']['missing'] = 1
    f['safemode'] = facts('nn_jmx_NameNodeInfo_safemode_manual.json')['safemode']
    problems = plan_problems(f, [W1])
    assert [p.split(' ')[0] for p in problems] == ['HDFS', 'the', 'the']
    assert 'safe mode' in problems[1] and W2 in problems[2]


# gate ----------------------------------------------------------------------

def test_done_when_the_batch_is_back():
    assert gate(facts(), [W1], 0) == (True, [], [])
    assert gate(facts(), [W1, W2, W3], 0) == (True, [], [])


def test_done_at_the_baseline():
    # The dead node returned while the NameNode still counted the blocks it had
    # missed: the state of the capture with df-worker2 dead, the nodes of the
    # capture after its return.
    under = bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks']
    f = facts('nn_jmx_NameNodeInfo_returned.json', 'nn_jmx_FSNamesystemState_dead.json')
    assert gate(f, [W2], under) == (True, [], [])
    assert gate(f, [W2], under + 1) == (True, [], [])


def test_waits_for_a_host_that_is_not_live():
    under = bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks']
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    assert gate(f, [W2], under) == (False, [], ['%s not live' % W2])
    # A host the NameNode has not seen is not live either.
    assert gate(facts(), ['new.example.com'], 0) == (False, [], ['new.example.com not live'])


def test_waits_for_the_under_replicated_blocks():
    under = bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks']
    f = facts('nn_jmx_NameNodeInfo_returned.json', 'nn_jmx_FSNamesystemState_dead.json')
    assert gate(f, [W2], under - 1) == (
        False, [], ['%s under-replicated blocks (%s before the batch)' % (under, under - 1)])


def test_waits_for_in_service():
    info = 'nn_jmx_NameNodeInfo_decommissioning_3.json'
    state = json.loads(bean(info)['LiveNodes'])[W1 + ':9866']['adminState']
    assert state != 'In Service'
    f = facts(info, 'nn_jmx_FSNamesystemState_decommissioning_3.json')
    assert gate(f, [W1], 0) == (False, [], ['%s is %s' % (W1, state)])
    assert gate(f, [W2, W3], 0) == (True, [], [])


def test_everything_the_batch_waits_for():
    under = bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks']
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    done, problems, waiting = gate(f, [W2], 0)
    assert not done and problems == []
    assert waiting == ['%s not live' % W2, '%s under-replicated blocks (0 before the batch)' % under]


def test_problem_on_missing_blocks():
    f = facts()
    f['blocks']['missing'] = 3
    assert gate(f, [W1], 0) == (False, ['3 missing blocks'], [])


def test_a_corrupt_replica_is_waited_for():
    """A replica of the generation before a pipeline recovery, reported by a
    DataNode restarted while a client wrote through it: the NameNode deletes
    it and copies the block again."""
    f = facts()
    f['blocks']['corrupt'] = 1
    assert gate(f, [W1], 0) == (False, [], ['1 blocks with a corrupt replica'])


def test_problem_on_a_dead_node_outside_the_batch():
    f = facts('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    under = bean('nn_jmx_FSNamesystemState_dead.json')['UnderReplicatedBlocks']
    assert gate(f, [W1], under) == (False, ['DataNodes outside the batch are dead: %s' % W2], [])


def test_waits_for_a_datanode_outside_the_batch_that_is_silent():
    assert gate(silent(W2, SILENT_WAIT), [W1], 0) == (True, [], [])
    assert gate(silent(W2, SILENT_WAIT + 2), [W1], 0) == (
        False, [], ['%s sent no heartbeat for %s s' % (W2, SILENT_WAIT + 2)])


def test_problem_on_a_datanode_outside_the_batch_silent_too_long():
    assert gate(silent(W2, SILENT_PROBLEM + 5), [W1], 0) == (
        False, ['DataNodes outside the batch have sent no heartbeat for %s s or more (stopped or hung): %s (%s s)'
                % (SILENT_PROBLEM, W2, SILENT_PROBLEM + 5)], [])
    # The batch's own hosts are waited for until they send a heartbeat again, however long they are silent.
    assert gate(silent(W1, SILENT_PROBLEM + 5), [W1], 0) == (
        False, [], ['%s sent no heartbeat for %s s' % (W1, SILENT_PROBLEM + 5)])
