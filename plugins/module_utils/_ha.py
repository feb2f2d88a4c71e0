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


def namenode_problems(namenodes):
    """namenodes: [(host, id)]. Messages for missing, malformed or shared ids."""
    problems, owners = [], {}
    for host, nn_id in namenodes:
        if not nn_id:
            problems.append('%s: hdfs_namenode_id is not set; give each NameNode its own id such as nn1 (the topology '
                            'inventory sets it from the number in the host name)' % host)
        elif not isinstance(nn_id, str) or not _NAMENODE_ID.match(nn_id):
            problems.append('%s: hdfs_namenode_id %r must be lower-case letters, digits and hyphens, starting with a '
                            'letter' % (host, nn_id))
        else:
            owners.setdefault(nn_id, []).append(host)
    for nn_id in sorted(owners):
        if len(owners[nn_id]) > 1:
            problems.append('hdfs_namenode_id %s is given to %s; each NameNode needs its own'
                            % (nn_id, ' and '.join(sorted(owners[nn_id]))))
    return problems


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
    }
    for host, nn_id in namenodes:
        settings['dfs.namenode.rpc-address.%s.%s' % (nameservice, nn_id)] = '%s:%d' % (host, rpc_port)
        settings['dfs.namenode.http-address.%s.%s' % (nameservice, nn_id)] = '%s:%d' % (host, http_port)
    if journal_dir:
        settings['dfs.journalnode.edits.dir'] = journal_dir
    return settings


def core_site(nameservice, zookeepers, zookeeper_port=2181):
    """core-site.xml settings of an HA nameservice: clients name the
    nameservice, the failover controllers elect through ZooKeeper."""
    return {
        'fs.defaultFS': 'hdfs://%s' % nameservice,
        'ha.zookeeper.quorum': ','.join('%s:%d' % (host, zookeeper_port) for host in zookeepers),
    }


def _odd_quorum(count, what, group):
    if count < 3 or count % 2 == 0:
        return ('HDFS high availability needs an odd number of %s, at least 3, in group %s; found %d'
                % (what, group, count))
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


def first_start(local_state, journals, running, first, host):
    """What a NameNode of an HA nameservice with empty or formatted metadata
    does at its first start: ('noop' | 'format' | 'bootstrap', why).

    local_state: 'formatted' or 'empty' (the format module's inspection);
    journals: {JournalNode: True/False (formatted journal of the nameservice) or
    None (no answer)}; running: the other NameNodes that answer; first: the
    NameNode that formats a new nameservice; host: this NameNode.
    Raises ValueError, naming the problem and the fix, where neither is safe."""
    if local_state == 'formatted':
        return 'noop', 'the metadata directories hold the namespace'
    silent = sorted(name for name, formatted in journals.items() if formatted is None)
    if silent:
        raise ValueError('cannot tell whether the nameservice exists: JournalNode(s) %s do not answer; start them '
                         'and run again' % ', '.join(silent))
    exists = any(journals.values())
    if exists or running:
        if not running:
            raise ValueError('the nameservice exists (the JournalNodes hold its edits) but no other NameNode runs to '
                             'copy the namespace from: start another NameNode of the nameservice first; %s must not '
                             'be formatted again' % host)
        return 'bootstrap', 'copy the namespace from %s (-bootstrapStandby)' % ', '.join(sorted(running))
    if host != first:
        raise ValueError('a new nameservice is formatted on %s, not on %s: run the play on %s too'
                         % (first, host, first))
    return 'format', 'a new nameservice: no JournalNode holds its edits and no other NameNode runs'
