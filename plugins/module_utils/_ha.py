# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""High availability of HDFS: the settings a nameservice needs, and the rules
its names follow. The hadoop role renders them into core-site.xml and
hdfs-site.xml; preflight refuses what Hadoop would reject.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

# A nameservice id is the authority of hdfs://<id>/ URIs and a part of
# configuration keys split at dots: a lower-case DNS label.
_NAMESERVICE = re.compile(r'^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$')
_NAMENODE_ID = re.compile(r'^[a-z][a-z0-9-]*$')
FAILOVER_PROXY_PROVIDER = 'org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider'
# The settings of one NameNode that a nameservice replaces by per-id keys.
SINGLE_NAMENODE_KEYS = ('dfs.namenode.rpc-address', 'dfs.namenode.http-address')


def nameservice_problem(name):
    """Why Hadoop cannot use name as a nameservice id, or None."""
    if not isinstance(name, str) or not _NAMESERVICE.match(name):
        return ('the nameservice id %r is not a lower-case DNS label (letters, digits and hyphens, starting with a '
                'letter, at most 63): clients use it as the host of hdfs://%s/ URIs and Hadoop splits its '
                'configuration keys at dots' % (name, name))
    return None


def id_problems(members, variable, daemon, example):
    """members: [(host, id)]. Messages for missing, malformed or shared ids
    (variable: hdfs_namenode_id or yarn_resourcemanager_id)."""
    problems, owners = [], {}
    for host, member_id in members:
        if not member_id:
            problems.append('%s: %s is not set; give each %s its own id such as %s (the topology inventory sets it '
                            'from the number in the host name)' % (host, variable, daemon, example))
        elif not isinstance(member_id, str) or not _NAMENODE_ID.match(member_id):
            problems.append('%s: %s %r must be lower-case letters, digits and hyphens, starting with a letter'
                            % (host, variable, member_id))
        else:
            owners.setdefault(member_id, []).append(host)
    for member_id in sorted(owners):
        if len(owners[member_id]) > 1:
            problems.append('%s %s is given to %s; each %s needs its own'
                            % (variable, member_id, ' and '.join(sorted(owners[member_id])), daemon))
    return problems


def namenode_problems(namenodes):
    """namenodes: [(host, id)]. Messages for missing, malformed or shared ids."""
    return id_problems(namenodes, 'hdfs_namenode_id', 'NameNode', 'nn1')


def hdfs_site(nameservice, namenodes, journalnodes, rpc_port=8020, http_port=9870, journal_port=8485,
              journal_dir=None, fencing='shell(/bin/true)'):
    """hdfs-site.xml settings of an HA nameservice.

    namenodes: [(host, id)] in the order of the ids; journalnodes: hosts."""
    ids = [nn_id for dummy, nn_id in namenodes]
    settings = {
        'dfs.nameservices': nameservice,
        'dfs.ha.namenodes.%s' % nameservice: ','.join(ids),
        'dfs.namenode.shared.edits.dir': 'qjournal://%s/%s' % (
            ';'.join('%s:%d' % (host, journal_port) for host in journalnodes), nameservice),
        'dfs.client.failover.proxy.provider.%s' % nameservice: FAILOVER_PROXY_PROVIDER,
        'dfs.ha.fencing.methods': fencing,
        'dfs.ha.automatic-failover.enabled': True,
        # The standby applies edits as the JournalNodes accept them, not once
        # a log segment is rolled (every 2 minutes): it stays seconds behind,
        # so a failover has little to replay and "caught up" means something.
        'dfs.ha.tail-edits.in-progress': True,
        'dfs.ha.tail-edits.period': '2s',
    }
    for host, nn_id in namenodes:
        settings['dfs.namenode.rpc-address.%s.%s' % (nameservice, nn_id)] = '%s:%d' % (host, rpc_port)
        settings['dfs.namenode.http-address.%s.%s' % (nameservice, nn_id)] = '%s:%d' % (host, http_port)
    if journal_dir:
        settings['dfs.journalnode.edits.dir'] = journal_dir
    return settings


def core_site(nameservice, quorum):
    """core-site.xml settings of an HA nameservice: clients name the
    nameservice, the failover controllers elect through ZooKeeper (quorum:
    host:port of each server, comma-separated)."""
    return {
        'fs.defaultFS': 'hdfs://%s' % nameservice,
        'ha.zookeeper.quorum': quorum,
    }


RM_STATE_STORE = 'org.apache.hadoop.yarn.server.resourcemanager.recovery.ZKRMStateStore'
# The settings of one ResourceManager that HA replaces by per-id keys.
SINGLE_RESOURCEMANAGER_KEYS = ('yarn.resourcemanager.hostname', 'yarn.resourcemanager.webapp.address')


def yarn_site(cluster_id, resourcemanagers, quorum, http_port=8088):
    """yarn-site.xml settings of HA ResourceManagers: the embedded elector
    fails over automatically, and the applications' state is kept in
    ZooKeeper so the new active recovers them (work-preserving).

    resourcemanagers: [(host, id)] in the order of the ids."""
    settings = {
        'yarn.resourcemanager.ha.enabled': True,
        'yarn.resourcemanager.ha.automatic-failover.enabled': True,
        'yarn.resourcemanager.ha.automatic-failover.embedded': True,
        'yarn.resourcemanager.cluster-id': cluster_id,
        'yarn.resourcemanager.ha.rm-ids': ','.join(rm_id for dummy, rm_id in resourcemanagers),
        'yarn.resourcemanager.recovery.enabled': True,
        'yarn.resourcemanager.work-preserving-recovery.enabled': True,
        'yarn.resourcemanager.store.class': RM_STATE_STORE,
        'hadoop.zk.address': quorum,
        # The embedded elector still reads only the older key (Hadoop 3.5).
        'yarn.resourcemanager.zk-address': quorum,
    }
    for host, rm_id in resourcemanagers:
        settings['yarn.resourcemanager.hostname.%s' % rm_id] = host
        settings['yarn.resourcemanager.webapp.address.%s' % rm_id] = '%s:%d' % (host, http_port)
    return settings


def resourcemanager_problems(resourcemanagers, zookeepers, groups=None):
    """Why HA ResourceManagers cannot run, as messages; empty when they can.

    resourcemanagers: [(host, yarn_resourcemanager_id)]."""
    groups = groups or {'resourcemanager': 'resourcemanagers', 'zookeeper': 'zookeepers'}
    problems = []
    if len(resourcemanagers) < 2:
        problems.append('YARN high availability needs at least 2 ResourceManagers in group %s; found %d'
                        % (groups['resourcemanager'], len(resourcemanagers)))
    problems.extend(id_problems(resourcemanagers, 'yarn_resourcemanager_id', 'ResourceManager', 'rm1'))
    problem = _odd_quorum(len(zookeepers), 'ZooKeeper servers', groups['zookeeper'], 'YARN')
    if problem:
        problems.append(problem)
    return problems


def _odd_quorum(count, what, group, service='HDFS'):
    if count < 3 or count % 2 == 0:
        return ('%s high availability needs an odd number of %s, at least 3, in group %s; found %d'
                % (service, what, group, count))
    return None


def hdfs_problems(nameservice, namenodes, journalnodes, zookeepers, groups=None):
    """Why an HA nameservice cannot run, as messages; empty when it can.

    namenodes: [(host, hdfs_namenode_id)]; groups: the group names, for the
    messages ({'namenode': ..., 'journalnode': ..., 'zookeeper': ...})."""
    groups = groups or {'namenode': 'namenodes', 'journalnode': 'journalnodes', 'zookeeper': 'zookeepers'}
    problems = []
    if len(namenodes) < 2:
        problems.append('HDFS high availability needs at least 2 NameNodes in group %s; found %d'
                        % (groups['namenode'], len(namenodes)))
    problems.extend(namenode_problems(namenodes))
    ns_problem = nameservice_problem(nameservice)
    if ns_problem:
        problems.append(ns_problem + '; set hadoop_nameservice')
    for count, what, group in ((len(journalnodes), 'JournalNodes', groups['journalnode']),
                               (len(zookeepers), 'ZooKeeper servers', groups['zookeeper'])):
        problem = _odd_quorum(count, what, group)
        if problem:
            problems.append(problem)
    return problems


def journal_formatted(bean, nameservice):
    """Whether a JournalNode's JournalNodeInfo bean shows a formatted journal
    of the nameservice (JournalsStatus is a JSON string of {journal: {...}})."""
    status = (bean or {}).get('JournalsStatus') or '{}'
    journals = json.loads(status) if not isinstance(status, dict) else status
    journal = journals.get(nameservice) or {}
    return str(journal.get('Formatted', 'false')).lower() == 'true'
