# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_rolling_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    BEAN, FSCK_OPEN, NAMENODE_URL, FakeClock, Reply, bean, captured_bytes, fsck_open_block_one_replica_less,
    fsck_replica_states)

W1, W2, W3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'
FSCK = FSCK_OPEN
INFO = 'nn_jmx_NameNodeInfo_recommissioned.json'
STATE = 'nn_jmx_FSNamesystemState_decommissioned.json'
SYSTEM = 'nn_jmx_FSNamesystem_decommissioned.json'
# df-worker2 stopped: dead at the NameNode, then back.
DEAD_INFO, DEAD_STATE = 'nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json'
RETURNED_INFO = 'nn_jmx_NameNodeInfo_returned.json'


def derived(name, **changes):
    """Derived: a captured bean with some attributes changed, as a reply."""
    return Reply.json({'beans': [dict(bean(name), **changes)]})


def serve(hadoop, info=INFO, state=STATE, system=SYSTEM, fsck=None):
    hadoop.on_beans(NameNodeStatus='nn_jmx_NameNodeStatus.json', FSNamesystemState=state, FSNamesystem=system,
                    NameNodeInfo=info)
    hadoop.on('GET', '/fsck', Reply.captured(FSCK) if fsck is None else Reply(200, fsck))


def bean_requests(hadoop, name):
    return [r for r in hadoop.requests if r.path == '/jmx' and r.query.get('qry') == BEAN % name]


def first_file_with_blocks():
    """(path, replication) of the first raw fsck file line with blocks."""
    for line in captured_bytes(FSCK).decode().splitlines():
        match = re.match(r'^(/\S*) \d+ bytes, replicated: replication=(\d+), (\d+) block', line)
        if match and int(match.group(3)):
            return match.group(1), int(match.group(2))
    raise AssertionError('no file with blocks in ' + FSCK)


def raw_racks():
    line, = [line for line in captured_bytes(FSCK).decode().splitlines() if 'Number of racks:' in line]
    return int(line.split(':')[1])


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(hdfs_rolling_info, 'clock', fake.time)
    monkeypatch.setattr(hdfs_rolling_info, 'sleep', fake.sleep)
    return fake


# The plan ----------------------------------------------------------------------

def test_plan_one_host_at_a_time(hadoop, run_module):
    serve(hadoop)
    path, replication = first_file_with_blocks()
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2, W3]})
    assert result['changed'] is False and not result.get('failed')
    assert result['batches'] == [[W1], [W2], [W3]]
    assert result['rule'] == '1 host(s) at a time (lowest replication %s, of %s)' % (replication, path)
    assert result['lowest_replication'] == replication
    assert result['lowest_replication_path'] == path
    assert result['racks'] == raw_racks()
    assert result['under_replicated'] == bean(STATE)['UnderReplicatedBlocks']
    assert 'problems' not in result


@pytest.mark.parametrize('user', [None, 'hdfsadmin'])
def test_fsck_runs_as_the_given_user(hadoop, run_module, user):
    serve(hadoop)
    args = {'namenode_url': NAMENODE_URL, 'hosts': [W1]}
    if user:
        args['user'] = user
    run_module(hdfs_rolling_info, args)
    fsck, = [r for r in hadoop.requests if r.path == '/fsck']
    assert fsck.method == 'GET' and fsck.netloc == NAMENODE_URL.split('//')[1]
    assert fsck.query == {'ugi': user or 'hdfs', 'path': '/', 'files': '1', 'openforwrite': '1'}


def test_batch_size_asked_for(hadoop, run_module):
    serve(hadoop)
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W3, W1, W2], 'batch_size': 2})
    assert result['batches'] == [[W3, W1], [W2]]
    assert result['rule'] == '2 host(s) at a time (asked for)'


def test_two_racks_restart_a_rack_at_a_time(hadoop, run_module):
    # Derived: fsck counting two racks, the NameNode placing W3 on a second one.
    text = captured_bytes(FSCK).decode()
    line, = [line for line in text.splitlines() if 'Number of racks:' in line]
    text = text.replace(line, line.replace(str(raw_racks()), '2'), 1)
    info = bean(INFO)
    nodes = json.loads(info['LiveNodes'])
    nodes[W3 + ':9866']['location'] = '/rack-b'
    serve(hadoop, info=Reply.json({'beans': [dict(info, LiveNodes=json.dumps(nodes))]}), fsck=text)
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2, W3]})
    assert result['batches'] == [[W1, W2], [W3]]
    assert result['racks'] == 2 and result['rule'].startswith('one rack at a time')


def test_refuses_on_missing_blocks(hadoop, run_module):
    # Derived: FSNamesystem with 3 missing blocks.
    serve(hadoop, system=derived(SYSTEM, MissingBlocks=3))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2]})
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to restart the DataNodes %s, %s: HDFS has 3 missing blocks and 0 blocks '
                                    'with a corrupt replica' % (W1, W2))
    assert ' Also: ' not in result['msg']
    # The plan comes with the refusal.
    assert result['batches'] == [[W1], [W2]]


def test_refuses_on_a_dead_datanode_outside_the_hosts(hadoop, run_module):
    serve(hadoop, info=DEAD_INFO, state=DEAD_STATE, system=derived(SYSTEM, MissingBlocks=1))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1]})
    assert result['failed'] is True
    assert result['msg'].startswith('Refusing to restart the DataNodes %s: HDFS has 1 missing' % W1)
    assert ' Also: the in-service DataNodes %s are dead at the NameNode' % W2 in result['msg']
    assert result['under_replicated'] == bean(DEAD_STATE)['UnderReplicatedBlocks']


def test_a_dead_datanode_among_the_hosts_is_planned_first(hadoop, run_module):
    # W2 is the dead one in the capture: it goes first, in a batch of its own,
    # so the gate after it waits until it is back before W1 stops.
    serve(hadoop, info=DEAD_INFO, state=DEAD_STATE)
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2]})
    assert not result.get('failed')
    assert result['batches'] == [[W2], [W1]]
    assert result['rule'].endswith('first the hosts the NameNode counts dead: %s' % W2)


def test_refuses_in_safe_mode(hadoop, run_module):
    serve(hadoop, info='nn_jmx_NameNodeInfo_safemode_manual.json', state='nn_jmx_FSNamesystemState_safemode_manual.json',
          system='nn_jmx_FSNamesystem_safemode_manual.json')
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': ['localhost']})
    assert result['failed'] is True
    assert 'the NameNode is in safe mode (%s)' % bean('nn_jmx_NameNodeInfo_safemode_manual.json')['Safemode'].strip() \
        in result['msg']


def test_unreachable_namenode_fails_the_plan(hadoop, run_module):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1]})
    assert result['failed'] is True
    assert result['msg'].startswith('cannot reach GET %s/jmx?qry=' % NAMENODE_URL)


@pytest.mark.parametrize('args, message', [
    ({'hosts': [W1], 'batch_size': -1}, 'batch_size must be 0 (derived) or more, got -1'),
    ({'hosts': [W1], 'batch': [W1]}, 'parameters are mutually exclusive: hosts|batch'),
    ({}, 'one of the following is required: hosts, batch'),
])
def test_bad_arguments(hadoop, run_module, args, message):
    result = run_module(hdfs_rolling_info, dict(args, namenode_url=NAMENODE_URL))
    assert result['failed'] is True and result['msg'] == message
    assert hadoop.requests == []


# The gate between two batches ------------------------------------------------

def test_gate_waits_until_the_batch_is_back(hadoop, run_module, clock):
    # df-worker2 dead, then live with the blocks it missed still counted, then
    # those re-replicated (derived: the dead capture's state with 0 of them).
    under = bean(DEAD_STATE)['UnderReplicatedBlocks']
    assert under > 0
    serve(hadoop, info=[DEAD_INFO, RETURNED_INFO, RETURNED_INFO],
          state=[DEAD_STATE, DEAD_STATE, derived(DEAD_STATE, UnderReplicatedBlocks=0)])
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2], 'baseline': 0})
    assert result['changed'] is False and not result.get('failed')
    assert clock.sleeps == [0.5, 0.5]
    assert result['waited'] == 1.0
    assert result['under_replicated'] == 0
    assert len(bean_requests(hadoop, 'NameNodeInfo')) == 3
    # Only the second read, with the batch back and blocks still waited for,
    # looks at the files open for write: the listing, then the open file.
    fsck = [r for r in hadoop.requests if r.path == '/fsck']
    assert [r.query['path'] for r in fsck] == ['/', '/tmp/openfile3.txt._COPYING_']
    assert 'blocks' not in fsck[0].query and fsck[1].query['blocks'] == '1'


@pytest.mark.parametrize('corrupt, extra, done', [(0, 1, True), (1, 1, True), (0, 2, False), (2, 1, False)])
def test_gate_allows_the_blocks_of_files_open_for_write(hadoop, run_module, clock, corrupt, extra, done):
    """Blocks of a file open for write are copied when it is closed: under-
    replicated ones (and corrupt replicas of them) do not hold the gate."""
    text = fsck_open_block_one_replica_less().decode()
    assert text.count('Expected_repl=1  [DatanodeInfoWithStorage[') == 1
    under = bean(DEAD_STATE)['UnderReplicatedBlocks']
    serve(hadoop, info=RETURNED_INFO, state=derived(DEAD_STATE, UnderReplicatedBlocks=under + extra),
          system=derived(SYSTEM, CorruptBlocks=corrupt), fsck=text.encode())
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2], 'baseline': under,
                                            'timeout': 4})
    assert bool(result.get('failed')) is not done
    if not done:
        assert 'and 1 allowed (open for write, or not replaceable)' in result['msg']


@pytest.mark.parametrize('corrupt, refused', [(1, False), (2, True)])
def test_plan_allows_corrupt_replicas_of_files_open_for_write(hadoop, run_module, corrupt, refused):
    """A long writer (a Spark event log) keeps the corrupt replica a restarted
    DataNode reported until it closes its file: as in the gate, that does not
    stop the next batch; one corrupt block more does."""
    serve(hadoop, system=derived(SYSTEM, CorruptBlocks=corrupt),
          fsck=fsck_open_block_one_replica_less())
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2]})
    assert bool(result.get('failed')) is refused
    if refused:
        assert '%s blocks with a corrupt replica (1 of them allowed' % corrupt in result['msg']


STUCK = [('172.18.0.5:9866', 'CORRUPT'), ('172.18.0.4:9866', 'LIVE'), ('172.18.0.3:9866', 'CORRUPT')]


def test_plan_allows_a_corrupt_replica_hdfs_cannot_replace_with_a_warning(hadoop, run_module, monkeypatch):
    """Derived: a block of /tmp/big.bin (replication 3) with its one live
    replica on df-worker2 and corrupt ones on the two other DataNodes: there is
    no DataNode to copy it to, so the plan goes on and warns for df-worker2."""
    serve(hadoop, system=derived(SYSTEM, CorruptBlocks=1), fsck=fsck_replica_states('/tmp/big.bin', STUCK, 3))
    # Where Ansible puts a module's warnings depends on what else the process
    # has loaded: take them as the module gives them.
    seen = []
    monkeypatch.setattr(hdfs_rolling_info.AnsibleModule, 'warn', lambda self, warning: seen.append(warning))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2, W3]})
    assert not result.get('failed'), result['msg']
    warnings = ' '.join(seen)
    assert '/tmp/big.bin has corrupt replicas on %s, %s that HDFS cannot replace' % (W1, W3) in warnings
    assert 'on %s, are unreadable while that batch restarts' % W2 in warnings
    # The listing, the open file, then every replica of / once.
    fsck = [r.query for r in hadoop.requests if r.path == '/fsck']
    assert [(q['path'], q.get('replicadetails')) for q in fsck] == [
        ('/', None), ('/tmp/openfile3.txt._COPYING_', None), ('/', '1')]


def test_captured_plan_goes_on_with_the_corrupt_replica_of_a_two_datanode_cluster(hadoop, run_module, monkeypatch):
    """Captured on two DataNodes: /tmp/stuck2.bin's replica on df-worker1 is
    corrupt, its live one on df-worker2 (captured/README.md)."""
    serve(hadoop, info='nn_jmx_NameNodeInfo_stuck_corrupt.json', state='nn_jmx_FSNamesystemState_stuck_corrupt.json',
          system='nn_jmx_FSNamesystem_stuck_corrupt.json', fsck=captured_bytes('fsck_replicadetails_stuck_corrupt.txt'))
    seen = []
    monkeypatch.setattr(hdfs_rolling_info.AnsibleModule, 'warn', lambda self, warning: seen.append(warning))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2]})
    assert not result.get('failed'), result['msg']
    assert result['batches'] == [[W1], [W2]]
    assert any('/tmp/stuck2.bin has a corrupt replica on %s' % W1 in w and 'on %s, are unreadable' % W2 in w
               for w in seen), seen


def test_gate_allows_a_corrupt_replica_hdfs_cannot_replace(hadoop, run_module, clock):
    under = bean(STATE)['UnderReplicatedBlocks']
    serve(hadoop, state=derived(STATE, UnderReplicatedBlocks=under + 1), system=derived(SYSTEM, CorruptBlocks=1),
          fsck=fsck_replica_states('/tmp/big.bin', STUCK, 3))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2], 'baseline': under,
                                            'timeout': 4})
    assert not result.get('failed'), result['msg']


def test_plan_without_corrupt_blocks_reads_no_open_file(hadoop, run_module):
    serve(hadoop)
    run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'hosts': [W1, W2]})
    assert [r.query['path'] for r in hadoop.requests if r.path == '/fsck'] == ['/']


def test_gate_done_at_once(hadoop, run_module, clock):
    serve(hadoop, info=RETURNED_INFO, state=DEAD_STATE)
    under = bean(DEAD_STATE)['UnderReplicatedBlocks']
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W1, W2], 'baseline': under})
    assert result['waited'] == 0.0 and clock.sleeps == []
    assert result['under_replicated'] == under


def test_gate_times_out(hadoop, run_module, clock):
    serve(hadoop, info=DEAD_INFO, state=DEAD_STATE)
    under = bean(DEAD_STATE)['UnderReplicatedBlocks']
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2], 'timeout': 10,
                                            'poll_interval': 5})
    assert result['failed'] is True
    assert result['msg'].startswith('The batch %s is not back after 10s: %s not live; %s under-replicated blocks '
                                    '(0 before the batch). Nothing more restarts' % (W2, W2, under))
    assert clock.sleeps == [5, 5]
    assert len(bean_requests(hadoop, 'NameNodeInfo')) == 3


def test_gate_stops_on_a_dead_datanode_outside_the_batch(hadoop, run_module, clock):
    serve(hadoop, info=DEAD_INFO, state=DEAD_STATE)
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W1],
                                            'baseline': bean(DEAD_STATE)['UnderReplicatedBlocks']})
    assert result['failed'] is True
    assert result['msg'].startswith('Stopping the rolling restart after the batch %s: DataNodes outside the batch '
                                    'are dead: %s. Nothing more restarts' % (W1, W2))
    assert clock.sleeps == []


def test_gate_stops_on_missing_blocks_while_waiting(hadoop, run_module, clock):
    # Derived: FSNamesystem counting 2 missing blocks at the second read.
    serve(hadoop, info=DEAD_INFO, state=DEAD_STATE, system=[SYSTEM, derived(SYSTEM, MissingBlocks=2)])
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2]})
    assert result['failed'] is True
    assert result['msg'].startswith('Stopping the rolling restart after the batch %s: 2 missing blocks. ' % W2)
    assert clock.sleeps == [0.5]


def test_gate_waits_until_a_corrupt_replica_is_replaced(hadoop, run_module, clock):
    # Derived: FSNamesystem counting a block with a corrupt replica at the
    # first two reads, as after a restart under write load.
    system = bean(SYSTEM)
    assert system['CorruptBlocks'] == 0 and system['MissingBlocks'] == 0
    corrupt = derived(SYSTEM, CorruptBlocks=1)
    serve(hadoop, info=RETURNED_INFO, state=DEAD_STATE, system=[corrupt, corrupt, SYSTEM])
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2],
                                            'baseline': bean(DEAD_STATE)['UnderReplicatedBlocks']})
    assert not result.get('failed') and clock.sleeps == [0.5, 0.5]


def test_gate_survives_a_namenode_that_does_not_answer(hadoop, run_module, clock):
    serve(hadoop, info=RETURNED_INFO, state=DEAD_STATE)
    hadoop.on_beans(NameNodeStatus=[URLError(ConnectionRefusedError(111, 'Connection refused')),
                                    Reply.captured('nn_jmx_NameNodeStatus.json')])
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2],
                                            'baseline': bean(DEAD_STATE)['UnderReplicatedBlocks']})
    assert not result.get('failed')
    assert clock.sleeps == [0.5] and result['waited'] == 0.5


def test_gate_timeout_names_the_unreachable_namenode(hadoop, run_module, clock):
    hadoop.on('GET', '/jmx', URLError(ConnectionRefusedError(111, 'Connection refused')))
    result = run_module(hdfs_rolling_info, {'namenode_url': NAMENODE_URL, 'batch': [W2], 'timeout': 4,
                                            'poll_interval': 1})
    assert result['failed'] is True
    assert result['msg'].startswith('The batch %s is not back after 4s: cannot reach GET %s/jmx?qry='
                                    % (W2, NAMENODE_URL))
    assert clock.sleeps == [1, 1, 1, 1]
