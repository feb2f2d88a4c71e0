# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Guards and progress of DataNode decommission and maintenance.

Pure functions over the facts of _hdfs.namenode_facts and the fsck listings
of _fsck, so they are tested with payloads captured from a real NameNode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# NameNode adminState strings (DatanodeInfo.AdminStates) per wanted state.
DONE_STATES = {
    'in_service': ('In Service',),
    'decommissioned': ('Decommissioned',),
    'in_maintenance': ('In Maintenance',),
}
IN_SERVICE = 'In Service'


def nodes_by_host(facts):
    """Every DataNode the NameNode knows, live first, by host name."""
    result = {}
    for live, key in ((True, 'live_nodes'), (False, 'dead_nodes')):
        for node in facts.get(key) or []:
            if node['host'] not in result:
                entry = dict(node, live=live)
                if not live and 'admin_state' not in entry:
                    entry['admin_state'] = 'Decommissioned' if node.get('decommissioned') else IN_SERVICE
                result[node['host']] = entry
    return result


def _size(value):
    value = float(value or 0)
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if value < 1024 or unit == 'TiB':
            return '%.1f %s' % (value, unit) if unit != 'B' else '%d B' % value
        value /= 1024.0
    return str(value)


def guard_problems(facts, leaving, state, replication, highest=(0, None), open_blocks=None,
                   maintenance_min_replication=1):
    """What makes it unsafe to take `leaving` (hosts newly asked to leave service) out.

    Each problem names the fix. An empty list means go.
    """
    problems = []
    nodes = nodes_by_host(facts)
    blocks = facts.get('blocks') or {}
    if blocks.get('missing') or blocks.get('corrupt'):
        problems.append(
            'HDFS has %s missing and %s corrupt blocks: taking DataNodes out now could lose the last replicas '
            'of more. Find them with `hdfs fsck / -list-corruptfileblocks`, restore or delete those files, '
            'then run again.' % (blocks.get('missing') or 0, blocks.get('corrupt') or 0))
    staying = [n for host, n in sorted(nodes.items())
               if n['live'] and n.get('admin_state') == IN_SERVICE and host not in leaving]
    if state == 'decommissioned':
        need = max(replication or 0, highest[0] or 0)
        reason = 'dfs.replication is %s' % replication
        if highest[0] and highest[0] > (replication or 0):
            reason = 'the highest replication factor in use is %s (%s)' % highest
        if len(staying) < need:
            problems.append(
                'decommissioning %s would leave %d in-service DataNode(s) but %s: HDFS could never '
                'finish re-replicating. Add DataNodes first (scale_out.yml), lower the replication of '
                'those files (`hdfs dfs -setrep`), or decommission fewer hosts at once.'
                % (', '.join(sorted(leaving)), len(staying), reason))
        moving = sum(nodes[h].get('used') or 0 for h in leaving if h in nodes and nodes[h]['live'])
        free = sum(n.get('remaining') or 0 for n in staying)
        if moving > free:
            problems.append(
                'the DataNodes leaving hold %s of HDFS data but the in-service DataNodes left have only '
                '%s free: add capacity (scale_out.yml) or free space before decommissioning.'
                % (_size(moving), _size(free)))
    elif state == 'in_maintenance' and len(staying) < maintenance_min_replication:
        problems.append(
            'putting %s in maintenance would leave %d in-service DataNode(s), fewer than '
            'dfs.namenode.maintenance.replication.min (%d): keep more DataNodes in service.'
            % (', '.join(sorted(leaving)), len(staying), maintenance_min_replication))
    if open_blocks:
        paths = sorted(set(b['path'] for b in open_blocks))
        problems.append(
            '%d file(s) open for write have blocks on %s, and an open block holds up the decommission until '
            'its writer closes it: %s. Close or recover them (`hdfs debug recoverLease -path PATH`), or '
            'set wait_for_open_files to wait for the writers.'
            % (len(paths), ', '.join(sorted(leaving)), ', '.join(paths[:5]) + (' ...' if len(paths) > 5 else '')))
    return problems


def node_progress(facts, hosts, state):
    """Per host: where it stands and what it still waits for."""
    nodes = nodes_by_host(facts)
    draining = dict((n['host'], n) for n in (facts.get('decommissioning_nodes') or [])
                    + (facts.get('entering_maintenance_nodes') or []))
    result = {}
    for host in hosts:
        node = nodes.get(host)
        entry = {'known': node is not None, 'live': bool(node and node['live']),
                 'admin_state': node.get('admin_state') if node else None}
        if node:
            entry.update(blocks=node.get('blocks'), used=node.get('used'))
        drain = draining.get(host)
        if drain:
            entry.update(
                under_replicated_blocks=drain.get('under_replicated_blocks', 0),
                only_replicas=drain.get('decommission_only_replicas', drain.get('maintenance_only_replicas', 0)),
                under_replicated_in_open_files=drain.get('under_replicated_in_open_files', 0))
        entry['done'] = is_done(entry, state)
        result[host] = entry
    return result


def is_done(entry, state):
    if state == 'decommissioned' and entry['known'] and not entry['live']:
        return entry['admin_state'] == 'Decommissioned'
    if not entry['known']:
        # A host the NameNode has never seen holds no blocks: nothing to wait for,
        # except to see it live when it should serve.
        return state != 'in_service'
    return entry['admin_state'] in DONE_STATES[state]


def blocks_remaining(progress):
    """Blocks the leaving nodes still wait for (the NameNode recounts every
    dfs.namenode.decommission.interval, 30 s by default)."""
    total = 0
    for entry in progress.values():
        if not entry['done']:
            total += entry.get('under_replicated_blocks', entry.get('blocks') or 0) or 0
    return total


def blockers(progress, facts, open_blocks, state):
    """Why the nodes that are not done yet are not done."""
    reasons = []
    for host, entry in sorted(progress.items()):
        if entry['done']:
            continue
        if not entry['known']:
            reasons.append('%s: the NameNode has not seen this DataNode (is it running and allowed?)' % host)
        elif state == 'in_service':
            reasons.append('%s: %s%s' % (host, entry['admin_state'], '' if entry['live'] else ' and not live'))
        else:
            reasons.append('%s: %s, %s blocks still under-replicated, %s with no replica elsewhere, %s in open '
                           'files' % (host, entry['admin_state'], entry.get('under_replicated_blocks', '?'),
                                      entry.get('only_replicas', '?'),
                                      entry.get('under_replicated_in_open_files', '?')))
    staying = [n for n in nodes_by_host(facts).values() if n['live'] and n.get('admin_state') == IN_SERVICE]
    if state == 'decommissioned' and reasons:
        reasons.append('%d in-service DataNode(s) can take replicas' % len(staying))
    for block in open_blocks or []:
        reasons.append('open file %s has block %s only on %s' % (block['path'], block['block'], ', '.join(block['on'])))
    return reasons


def progress_line(result):
    """One line of where a wait stands, from a result of hdfs_datanode_admin."""
    nodes = result.get('nodes') or {}
    summary = result.get('progress') or {}
    states = ', '.join('%s: %s' % (host, nodes[host].get('admin_state')) for host in sorted(nodes))
    remaining = summary.get('blocks_remaining') or 0
    line = '%s; %d block(s) to re-replicate' % (states or 'no DataNode', remaining)
    if remaining:
        eta = summary.get('eta_seconds')
        line += ', %s blocks/s, %s' % (summary.get('blocks_per_second', 0.0),
                                       'about %s s left' % eta if eta is not None else 'time left unknown yet')
    if not result.get('complete') and result.get('blockers'):
        line += '; waiting for: ' + '; '.join(result['blockers'])
    return line
