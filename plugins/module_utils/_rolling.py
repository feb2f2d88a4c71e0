# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Rolling restarts of DataNodes: the batches and the gate between them.

Pure functions over the facts of _hdfs.namenode_facts and the fsck listing of
_fsck, so they are tested with payloads captured from a real NameNode.

The batches: one rack at a time when the blocks are spread over two racks or
more (fsck counts 2+ racks and no mis-replicated block) and every file with
blocks has 2+ replicas; otherwise fewer hosts than the lowest replication
factor in use, so every block keeps a live replica (one host for replication
2 or 3).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import IN_SERVICE, nodes_by_host
from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import highest_replication, lowest_replication
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError


# A DataNode that stopped sending heartbeats stays live at the NameNode for
# minutes (dead after 2 x dfs.namenode.heartbeat.recheck-interval plus ten
# heartbeats: 10.5 min by default). The gates read its silence instead: after
# SILENT_WAIT seconds without a heartbeat (three of HDFS's 3 s heartbeats
# missed) a gate waits for it; after SILENT_PROBLEM seconds (HDFS's default
# dfs.namenode.stale.datanode.interval, when the NameNode counts it stale) it
# is a problem.
SILENT_WAIT = 10
SILENT_PROBLEM = 30


def batch_size(lowest, datanodes):
    """Hosts per batch that leave a live replica of every block: at most
    lowest replication - 2 (replication 3 keeps two replicas, 2 keeps one),
    at least one, and at most the live DataNodes but two."""
    return max(1, min(lowest - 2, datanodes - 2))


def plan_batches(pending, racks=None, size=1):
    """Batches of the pending hosts: by rack when `racks` maps each host to its
    rack, else `size` hosts at a time, in the order given."""
    if racks:
        by_rack = {}
        for host in pending:
            by_rack.setdefault(racks.get(host, ''), []).append(host)
        return [by_rack[rack] for rack in sorted(by_rack)]
    return [list(pending[i:i + size]) for i in range(0, len(pending), size)]


def plan_problems(facts, pending, allowed=0):
    """What makes a rolling restart unsafe to start. Each problem names the fix.

    `allowed` blocks with a corrupt replica are allowed, as in the gate
    (corrupt_allowance): the under-replicated blocks of files open for write,
    whose writer's pipeline waits for a DataNode stopped for a quick restart,
    and the blocks whose corrupt replica HDFS cannot replace.
    """
    problems = []
    blocks = facts.get('blocks') or {}
    if blocks.get('missing') or (blocks.get('corrupt') or 0) > allowed:
        problems.append(
            'HDFS has %s missing blocks and %s blocks with a corrupt replica%s: restarting DataNodes could make '
            'the last replicas unreachable. Find them with `hdfs fsck / -list-corruptfileblocks` (no live replica '
            'left) and `hdfs fsck / -files -blocks -replicaDetails` (CORRUPT), bring back the DataNodes that hold '
            'them or delete the files, then run again.'
            % (blocks.get('missing') or 0, blocks.get('corrupt') or 0,
               ' (%s of them allowed: open for write, or a corrupt replica HDFS cannot replace)' % allowed
               if allowed else ''))
    if (facts.get('safemode') or {}).get('on'):
        problems.append('the NameNode is in safe mode (%s): leave it (`hdfs dfsadmin -safemode leave` once the '
                        'DataNodes have reported) and run again.' % facts['safemode']['message'])
    dead = dead_outside(facts, pending)
    if dead:
        problems.append(
            'the in-service DataNodes %s are dead at the NameNode, and they are not part of this restart: restarting '
            'more DataNodes now could leave blocks without a live replica. Start them (or decommission them), '
            'then run again.' % ', '.join(dead))
    silent = silent_outside(facts, pending, SILENT_PROBLEM)
    if silent:
        problems.append(
            'the in-service DataNodes %s have sent no heartbeat to the NameNode for %s s or more, and they are not '
            'part of this restart: they are stopped or hung, and restarting more DataNodes now could leave blocks '
            'without a live replica. Start them (or decommission them), then run again.'
            % (_silences(silent), SILENT_PROBLEM))
    return problems


def dead_outside(facts, hosts):
    """In-service DataNodes dead at the NameNode that are not among `hosts`."""
    hosts = set(hosts)
    return sorted(host for host, node in nodes_by_host(facts).items()
                  if not node['live'] and node.get('admin_state') == IN_SERVICE and host not in hosts)


def silent_outside(facts, hosts, after):
    """(host, seconds) of the in-service DataNodes live at the NameNode, not
    among `hosts`, whose last heartbeat is more than `after` seconds old."""
    hosts = set(hosts)
    return sorted((host, node.get('last_contact') or 0) for host, node in nodes_by_host(facts).items()
                  if node['live'] and node.get('admin_state') == IN_SERVICE and host not in hosts
                  and (node.get('last_contact') or 0) > after)


def _silences(silent):
    return ', '.join('%s (%s s)' % item for item in silent)


def plan(facts, listing, pending, size=0, allowed=0, stuck=()):
    """The rolling restart of the DataNodes `pending`: its batches and why.

    `listing` is a files-only fsck report of /; `size` a batch size asked for
    (0: derive it); `allowed` as for plan_problems; `stuck` the blocks of
    stuck_corrupt (a warning for each whose live replicas one batch holds).
    Returns a dict with batches, rule, lowest replication (and the file with
    it), racks, under-replicated blocks, problems and warnings.
    """
    summary = listing.get('summary') or {}
    lowest = lowest_replication(listing)
    nodes = nodes_by_host(facts)
    live = [host for host, node in nodes.items() if node['live']]
    racks = {host: node.get('rack') or '' for host, node in nodes.items()}
    rack_count = summary.get('racks') or len(set(racks[host] for host in live) or [''])
    # Hosts to restart that the NameNode already counts dead go first, in a
    # batch of their own: they hold no live replica, and the gate then waits
    # until they are back before a live DataNode stops.
    down = [host for host in pending if host in nodes and not nodes[host]['live']]
    rest = [host for host in pending if host not in down]
    by_rack = (not size and rack_count >= 2 and summary.get('mis_replicated_blocks') == 0 and lowest[0] >= 2)
    if by_rack:
        batches = plan_batches(rest, racks=racks)
        rule = 'one rack at a time (%s racks, every block on two racks or more)' % rack_count
    else:
        chosen = size or batch_size(lowest[0] or 3, len(live) or len(pending))
        batches = plan_batches(rest, size=chosen)
        if size:
            rule = '%s host(s) at a time (asked for)' % size
        elif lowest[1] is None:
            rule = '%s host(s) at a time (no file has blocks)' % chosen
        else:
            rule = '%s host(s) at a time (lowest replication %s, of %s)' % (chosen, lowest[0], lowest[1])
    if down:
        batches.insert(0, down)
        rule += '; first the hosts the NameNode counts dead: %s' % ', '.join(down)
    warnings = []
    if lowest[0] == 1:
        warnings.append('%s has one replica (replication 1): its blocks are unreadable while their DataNode '
                        'restarts (clients wait for it during the quick restart)' % lowest[1])
    hosts = dict((node.get('transfer_address'), host) for host, node in nodes.items())
    for block in stuck:
        live = set(hosts.get(address, address) for address in block['live'])
        if any(live <= set(batch) for batch in batches):
            corrupt = sorted(hosts.get(address, address) for address in block['corrupt'])
            warnings.append(
                '%s has %s on %s that HDFS cannot replace (every DataNode holds a replica of its block %s): its '
                'live replicas, on %s, are unreadable while that batch restarts (clients wait for them during the '
                'quick restart). Add a DataNode, or copy the file anew, to give it new replicas.'
                % (block['path'], 'corrupt replicas' if len(corrupt) > 1 else 'a corrupt replica', ', '.join(corrupt),
                   block['block'], ', '.join(sorted(live))))
    return {
        'batches': batches,
        'rule': rule,
        'lowest_replication': lowest[0],
        'lowest_replication_path': lowest[1],
        'racks': rack_count,
        'under_replicated': (facts.get('blocks') or {}).get('under_replicated') or 0,
        'problems': plan_problems(facts, pending, allowed),
        'warnings': warnings,
    }


def gate(facts, batch, baseline, allowed=0):
    """Where a restarted batch stands: (done, problems, waiting).

    Done: every host of the batch live and in service at the NameNode, no
    missing block, and the blocks with a corrupt replica and the
    under-replicated blocks back to `baseline` (what the NameNode counted
    before the batch) or fewer, and every in-service DataNode outside the
    batch heard from in the last SILENT_WAIT seconds. Problems stop the
    restart at once: missing blocks (no replica left), an in-service DataNode
    outside the batch dead, or silent for more than SILENT_PROBLEM seconds.

    A corrupt replica is waited for: a DataNode restarted while a client wrote
    through it reports the replica with the generation stamp from before the
    client's pipeline recovery, and the NameNode deletes it and copies the
    block again - but only once the file is closed, and only where a DataNode
    without a replica of the block can take the copy. `allowed` is the number
    of under-replicated blocks of files open for write (open_under_replicated)
    and of blocks whose corrupt replica cannot be replaced (stuck_corrupt):
    those are allowed on top of the baseline, since HDFS cannot copy them
    while their writer holds them (a crashed writer's file for up to an hour)
    or at all. Waiting says what is not there yet.
    """
    blocks = facts.get('blocks') or {}
    problems = []
    if blocks.get('missing'):
        problems.append('%s missing blocks' % blocks['missing'])
    dead = dead_outside(facts, batch)
    if dead:
        problems.append('DataNodes outside the batch are dead: %s' % ', '.join(dead))
    silent = silent_outside(facts, batch, SILENT_PROBLEM)
    if silent:
        problems.append('DataNodes outside the batch have sent no heartbeat for %s s or more (stopped or hung): %s'
                        % (SILENT_PROBLEM, _silences(silent)))
    waiting = batch_waiting(facts, batch)
    waiting.extend('%s sent no heartbeat for %s s' % item
                   for item in silent_outside(facts, batch, SILENT_WAIT) if item not in silent)
    note = ' and %s allowed (open for write, or not replaceable)' % allowed if allowed else ''
    corrupt = blocks.get('corrupt') or 0
    if corrupt > allowed:
        waiting.append('%s blocks with a corrupt replica%s' % (corrupt, note))
    under = blocks.get('under_replicated') or 0
    if under > baseline + allowed:
        waiting.append('%s under-replicated blocks (%s before the batch%s)' % (under, baseline, note))
    return not problems and not waiting, problems, waiting


def batch_waiting(facts, batch):
    """The hosts of the batch not yet live and in service at the NameNode, or
    not heard from lately (a stopped DataNode stays live there for minutes),
    as messages."""
    nodes = nodes_by_host(facts)
    waiting = []
    for host in batch:
        node = nodes.get(host)
        if not node or not node['live']:
            waiting.append('%s not live' % host)
        elif node.get('admin_state') != IN_SERVICE:
            waiting.append('%s is %s' % (host, node.get('admin_state')))
        elif (node.get('last_contact') or 0) > SILENT_WAIT:
            waiting.append('%s sent no heartbeat for %s s' % (host, node['last_contact']))
    return waiting


def blocks_waiting(facts, baseline):
    """True when the blocks, not the hosts, keep a batch from being done:
    a corrupt replica or more under-replicated blocks than the baseline."""
    blocks = facts.get('blocks') or {}
    return bool(blocks.get('corrupt')) or (blocks.get('under_replicated') or 0) > baseline


def corrupt_allowance(facts, fsck, listing=None):
    """The blocks with a corrupt replica a restart may go on with, as
    (count, stuck): none when the NameNode counts none, else the
    under-replicated blocks of files open for write and the blocks of
    stuck_corrupt (`listing`, a files-only fsck report of /, is read when not
    given)."""
    if not (facts.get('blocks') or {}).get('corrupt'):
        return 0, []
    listing = listing if listing is not None else fsck.report('/')
    allowed = open_under_replicated(fsck.open_files_with_blocks(listing))
    stuck = stuck_corrupt(facts, fsck, listing, allowed)
    return allowed + len(stuck), stuck


def stuck_corrupt(facts, fsck, listing, allowed=0):
    """Blocks of closed files whose corrupt replica HDFS cannot replace, as
    dicts of path, block, live and corrupt (transfer addresses).

    The NameNode deletes a corrupt replica only once the block has its full
    replication in live replicas, and copies a live one only to a DataNode
    without a replica of the block. When every live in-service DataNode holds
    one, live or corrupt (a small cluster: two DataNodes, replication 2), the
    corrupt replica stays until a DataNode is added, so waiting for it is
    useless; the block still has a live replica. Only read (a fsck of every
    replica of /) when the NameNode counts more blocks with a corrupt replica
    than `allowed` and there are no more such DataNodes than the highest
    replication factor of `listing`: on a bigger cluster a corrupt replica
    heals.
    """
    targets = set(node.get('transfer_address') for node in nodes_by_host(facts).values()
                  if node['live'] and node.get('admin_state') == IN_SERVICE)
    if ((facts.get('blocks') or {}).get('corrupt') or 0) <= allowed or not targets \
            or len(targets) > highest_replication(listing)[0]:
        return []
    found = []
    for entry in fsck.report('/', replicas=True)['files']:
        for block in [] if entry['open'] else entry['blocks']:
            states = block.get('states') or {}
            live = sorted(address for address, state in states.items() if state == 'LIVE')
            corrupt = sorted(address for address, state in states.items() if state == 'CORRUPT')
            if corrupt and live and targets <= set(states):
                found.append({'path': entry['path'], 'block': block['block'], 'live': live, 'corrupt': corrupt})
    return found


def open_under_replicated(open_files):
    """Blocks of files open for write (_fsck open_files_with_blocks) with
    fewer replica locations than the file's replication factor."""
    return sum(1 for entry in open_files for block in entry['blocks']
               if len(block['locations']) < entry['replication'])


def wait_for_batch(client, fsck, batch, baseline, timeout, interval, clock=time.time, sleep=time.sleep):
    """The gate: poll the NameNode until the batch is back; (facts, seconds waited), or ValueError naming
    what was seen. `fsck` lists the files when only blocks are waited for."""
    start = clock()
    while True:
        try:
            facts = read_namenode_facts(client)
        except HadoopHttpError as e:  # a failover in progress; the timeout bounds it
            facts, waiting, problems = None, [str(e)], []
        if facts is not None:
            done, problems, waiting = gate(facts, batch, baseline)
            if not done and not problems and not batch_waiting(facts, batch) and blocks_waiting(facts, baseline):
                # Only blocks are waited for: those of files open for write
                # are copied when their writer closes them, not now, and a
                # corrupt replica with nowhere to copy a live one stays.
                try:
                    listing = fsck.report('/')
                    allowed = open_under_replicated(fsck.open_files_with_blocks(listing))
                    allowed += len(stuck_corrupt(facts, fsck, listing, allowed))
                except HadoopHttpError as e:
                    allowed, waiting = 0, waiting + [str(e)]
                if allowed:
                    done, problems, waiting = gate(facts, batch, baseline, allowed)
            if problems:
                raise ValueError('Stopping the rolling restart after the batch %s: %s. Nothing more restarts; fix '
                                 'it and run again (the pending restarts stay recorded).'
                                 % (', '.join(batch), '; '.join(problems)))
            if done:
                return facts, clock() - start
        if clock() - start >= timeout:
            raise ValueError('The batch %s is not back after %ss: %s. Nothing more restarts; look at the DataNode '
                             'logs, fix it and run again (the pending restarts stay recorded).'
                             % (', '.join(batch), timeout, '; '.join(waiting)))
        sleep(interval)
