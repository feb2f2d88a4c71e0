# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Rolling upgrades of Hadoop: which versions the cluster runs, whether the
step to the target version is one this collection makes, and what stops an
upgrade from starting.

Pure functions over the facts of _hdfs.namenode_facts (one per NameNode) and
_yarn.resourcemanager_facts (one per ResourceManager), so they are tested
with payloads captured from a real cluster. The running versions come from
the daemons themselves, so a re-run after an interrupted upgrade sees what
was already upgraded.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import IN_SERVICE, nodes_by_host
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import SILENT_PROBLEM, silent_outside

_VERSION = re.compile(r'^(\d+)\.(\d+)\.(\d+)(?:[-.][0-9A-Za-z.-]+)?$')

# Rolling upgrades stay within a major version: HDFS keeps wire compatibility
# there, and its rolling-upgrade protocol needs it.
DOCS = 'docs/upgrade.md'


def parse_version(text):
    """(major, minor, patch) of a Hadoop version such as 3.4.2 or 3.5.0-SNAPSHOT;
    ValueError for anything else."""
    match = _VERSION.match((text or '').strip())
    if not match:
        raise ValueError('%r is not a Hadoop version (major.minor.patch, for example 3.5.0)' % (text,))
    return tuple(int(part) for part in match.groups())


def running_versions(namenodes, resourcemanagers):
    """Which version each daemon runs, from what it reports: the NameNodes'
    SoftwareVersion, the DataNodes' version in the active NameNode's node
    list, the ResourceManagers' hadoopVersion and the NodeManagers' version in
    the active ResourceManager's node list.

    `namenodes` and `resourcemanagers` are lists of {'url', 'facts'} (facts
    None when the daemon did not answer).
    """
    versions = {'namenode': {}, 'datanode': {}, 'resourcemanager': {}, 'nodemanager': {}}
    for member in namenodes:
        if member.get('facts'):
            versions['namenode'][member['url']] = member['facts'].get('software_version')
    active = _active(namenodes)
    if active:
        for host, node in nodes_by_host(active).items():
            if node['live']:
                versions['datanode'][host] = node.get('version')
    for member in resourcemanagers:
        if member.get('facts'):
            versions['resourcemanager'][member['url']] = member['facts'].get('version')
    active_rm = _active(resourcemanagers)
    if active_rm:
        for node in active_rm.get('node_list') or []:
            if node.get('state') == 'RUNNING' and node.get('host'):
                versions['nodemanager'][node['host']] = node.get('version')
    return versions


def _active(members):
    """The facts of the active member (the only one without HA)."""
    answered = [m['facts'] for m in members if m.get('facts')]
    for facts in answered:
        if (facts.get('ha_state') or '').lower() == 'active':
            return facts
    return answered[0] if len(members) == 1 and answered else None


def version_problems(versions, target, downgrade=False):
    """Whether going from the running versions to `target` is a step this
    collection makes: same major version, and nothing newer than the target
    (an upgrade) or nothing older (a downgrade)."""
    problems = []
    try:
        wanted = parse_version(target)
    except ValueError as e:
        return ['hadoop_version: %s. Set it to the version to upgrade to.' % e]
    newer, other_major, unknown = [], [], []
    for daemon, by_member in sorted(versions.items()):
        for member, version in sorted(by_member.items()):
            try:
                running = parse_version(version)
            except ValueError:
                unknown.append('%s %s (%s)' % (daemon, member, version))
                continue
            if running[0] != wanted[0]:
                other_major.append('%s %s runs %s' % (daemon, member, version))
            elif (running < wanted) if downgrade else (running > wanted):
                newer.append('%s %s runs %s' % (daemon, member, version))
    if other_major:
        problems.append(
            'a rolling upgrade stays within one major version, and the target %s is not the major version of: %s. '
            'Upgrade to the last release of the running major version first, or plan a full upgrade with '
            'downtime (%s).' % (target, '; '.join(other_major), DOCS))
    if newer and downgrade:
        problems.append(
            'the target %s is newer than what the cluster runs (%s): downgrade.yml only goes back to the version an '
            'unfinalized upgrade started from; upgrade with upgrade.yml (%s).' % (target, '; '.join(newer), DOCS))
    elif newer:
        problems.append(
            'the target %s is older than what the cluster runs (%s): upgrade.yml does not downgrade. To undo an '
            'upgrade that is not finalized, run downgrade.yml; a finalized upgrade cannot be undone (%s).'
            % (target, '; '.join(newer), DOCS))
    if unknown:
        problems.append('these daemons report a version that is not major.minor.patch: %s. Check what they run.'
                        % '; '.join(unknown))
    return problems


def pending(versions, target):
    """The members of each daemon kind that do not run `target` yet."""
    return dict((daemon, sorted(m for m, v in by_member.items() if v != target))
                for daemon, by_member in versions.items())


def precheck_problems(namenodes, resourcemanagers, datanodes, nodemanagers, target, marker=None,
                      outage=False, downgrade=False, allowed=0):
    """What stops a rolling upgrade to `target` from starting or resuming, or
    with `downgrade` the rolling downgrade back to `target` of an upgrade not
    finalized. Each problem names the fix. Empty: go ahead.

    `datanodes` and `nodemanagers` are the hosts the inventory expects to run
    them; `marker` the target recorded when the upgrade was prepared (None
    before); `outage` whether the operator accepted the NameNode's outage of a
    cluster without HA; `allowed` the blocks with a corrupt replica a rolling
    restart may go on with (_rolling.corrupt_allowance: those of files open
    for write, and those HDFS cannot replace on a small cluster, which keep a
    live replica). Resuming an upgrade (or downgrading), a daemon that
    does not answer is no problem as long as a NameNode is active: the
    interrupted run may have stopped it, and the run starts it again.
    """
    problems = []
    active = _active(namenodes)
    rolling = active.get('rolling_upgrade') if active else None
    resuming = bool(active and rolling and (downgrade or marker == target))
    down = [m['url'] for m in namenodes if not m.get('facts')]
    if down and not resuming:
        problems.append('the NameNodes %s do not answer: start them (site.yml) and run again.' % ', '.join(down))
    ha = len(namenodes) > 1
    if ha:
        states = dict((m['url'], (m['facts'] or {}).get('ha_state')) for m in namenodes if m.get('facts'))
        actives = [url for url, state in states.items() if state == 'active']
        if len(actives) != 1:
            problems.append('the nameservice has %d active NameNodes (%s): it needs exactly one, with the other '
                            'standing by. Check the ZKFCs (failover.yml) and run again.'
                            % (len(actives), ', '.join('%s %s' % item for item in sorted(states.items()))))
        lagging = [m for m in namenodes if m.get('lag') not in (None, 0) and abs(m['lag']) > 10000]
        if lagging:
            problems.append('the standby NameNodes %s are more than 10000 transactions behind the active one: '
                            'wait until they catch up (check the JournalNodes) and run again.'
                            % ', '.join('%s (%s)' % (m['url'], m['lag']) for m in lagging))
    elif not outage and not downgrade:
        problems.append(
            'HDFS has one NameNode: upgrading it stops HDFS while it restarts (clients fail or wait). Accept the '
            'outage with -e hadoop_upgrade_accept_outage=true, or convert to HA first (convert_to_ha.yml).')
    if not active:
        return problems + version_problems(running_versions(namenodes, resourcemanagers), target, downgrade)
    if downgrade and not (rolling and marker):
        problems.append(
            'no rolling upgrade of this collection is in progress (%s): there is nothing to downgrade. A finalized '
            'upgrade cannot be undone; an upgrade started by hand is finished by hand (%s).'
            % ('HDFS reports none' if not rolling else 'no version was recorded for it', DOCS))
    if rolling and marker != target and not downgrade:
        problems.append(
            'HDFS has a rolling upgrade in progress that %s (started at %s ms since the epoch): finish or undo '
            'it first - run upgrade.yml with the hadoop_version it was started for, or downgrade.yml - and run '
            'again (%s).' % ('was prepared for %s' % marker if marker else 'this collection did not start',
                             rolling.get('startTime'), DOCS))
    if active.get('upgrade_finalized') is False and not rolling:
        problems.append('HDFS has an upgrade that is not finalized (hdfs namenode -upgrade): finalize it with '
                        '`hdfs dfsadmin -finalizeUpgrade` or roll it back, then run again.')
    if (active.get('safemode') or {}).get('on'):
        problems.append('the NameNode is in safe mode (%s): leave it once the DataNodes have reported '
                        '(`hdfs dfsadmin -safemode leave`) and run again.' % active['safemode']['message'])
    blocks = active.get('blocks') or {}
    if blocks.get('missing') or (blocks.get('corrupt') or 0) > allowed:
        problems.append('HDFS has %s missing blocks and %s blocks with a corrupt replica%s: find them with '
                        '`hdfs fsck / -list-corruptfileblocks`, bring back the DataNodes that hold them or delete '
                        'the files, and run again.'
                        % (blocks.get('missing') or 0, blocks.get('corrupt') or 0,
                           ' (%s of them allowed: open for write, or a corrupt replica HDFS cannot replace)' % allowed
                           if allowed else ''))
    nodes = nodes_by_host(active)
    busy = sorted('%s (%s)' % (host, node.get('admin_state')) for host, node in nodes.items()
                  if node.get('admin_state') not in (IN_SERVICE, 'Decommissioned', None))
    if busy:
        problems.append('DataNodes are being decommissioned or are in maintenance: %s. Let the decommission finish '
                        '(decommission.yml) or end the maintenance (recommission.yml), then run again.'
                        % ', '.join(busy))
    missing = sorted(host for host in datanodes
                     if host not in nodes or (not nodes[host]['live'] and nodes[host].get('admin_state') == IN_SERVICE))
    if missing and not resuming:
        problems.append('the DataNodes %s are not live at the NameNode: start them (site.yml) or decommission them, '
                        'then run again.' % ', '.join(missing))
    # A stopped DataNode stays live at the NameNode for minutes: its silence
    # shows first.
    silent = silent_outside(active, [], SILENT_PROBLEM)
    if silent and not resuming:
        problems.append('the DataNodes %s have sent no heartbeat to the NameNode for %s s or more: they are stopped or '
                        'hung. Start them (site.yml) or decommission them, then run again.'
                        % (', '.join('%s (%s s)' % item for item in silent), SILENT_PROBLEM))
    problems.extend(_yarn_problems(resourcemanagers, nodemanagers, resuming))
    problems.extend(version_problems(running_versions(namenodes, resourcemanagers), target, downgrade))
    return problems


def _yarn_problems(resourcemanagers, nodemanagers, resuming):
    if not resourcemanagers:
        return []
    problems = []
    down = [m['url'] for m in resourcemanagers if not m.get('facts')]
    if down and not resuming:
        problems.append('the ResourceManagers %s do not answer: start them (site.yml) and run again.'
                        % ', '.join(down))
    if len(resourcemanagers) > 1:
        actives = [m['url'] for m in resourcemanagers if (m.get('facts') or {}).get('ha_state') == 'ACTIVE']
        if len(actives) != 1:
            problems.append('YARN has %d active ResourceManagers: it needs exactly one. Check them (yarn rmadmin '
                            '-getAllServiceState) and run again.' % len(actives))
    active = _active(resourcemanagers)
    if active:
        states = dict((n.get('host'), n.get('state')) for n in active.get('node_list') or [])
        # A NodeManager decommissioned and still in the inventory is retired,
        # not down; one draining is a decommission in progress.
        draining = sorted(host for host in nodemanagers if states.get(host) == 'DECOMMISSIONING')
        if draining:
            problems.append('the NodeManagers %s are being decommissioned: let the decommission finish '
                            '(decommission.yml) or recommission them (recommission.yml), then run again.' % ', '.join(draining))
        absent = sorted(host for host in nodemanagers
                        if states.get(host) not in ('RUNNING', 'DECOMMISSIONED', 'DECOMMISSIONING'))
        if absent and not resuming:
            problems.append('the NodeManagers %s are not RUNNING at the ResourceManager: start them (site.yml) or '
                            'decommission them, then run again.' % ', '.join(absent))
    return problems
