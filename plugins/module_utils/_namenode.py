# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""A NameNode's metadata directories as found on disk, and what the other
members of an HA nameservice say about it: whether the JournalNodes hold its
journal and which NameNodes run. hdfs_namenode_format and
hdfs_namenode_bootstrap decide from these, and refuse what could lose the
namespace.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient
from ansible_collections.datafleet.hadoop.plugins.module_utils._ha import journal_formatted
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import safemode_from_info

_IGNORED_ENTRIES = ('lost+found',)
_JOURNAL_BEAN = 'Hadoop:service=JournalNode,name=JournalNodeInfo'
_STATUS_BEAN = 'Hadoop:service=NameNode,name=NameNodeStatus'
_INFO_BEAN = 'Hadoop:service=NameNode,name=NameNodeInfo'


def storage_argument_spec(nameservice=False):
    """Options of the modules that act on a NameNode's metadata directories
    (doc fragment datafleet.hadoop.namenode_storage), with the nameservice
    and its JournalNodes when asked (namenode_storage.nameservice)."""
    spec = dict(name_dirs=dict(type='list', elements='path', required=True))
    if nameservice:
        spec.update(nameservice=dict(type='str', required=True),
                    journalnode_urls=dict(type='list', elements='str', required=True))
    return spec


def read_version_file(path):
    """Parse a Java properties style VERSION file into a dict."""
    props = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith('#') and '=' in line:
                key, value = line.split('=', 1)
                props[key.strip()] = value.strip()
    return props


def inspect_dir(path):
    """{'path', 'state': formatted | empty | unknown_data, ...}"""
    version = os.path.join(path, 'current', 'VERSION')
    if os.path.isfile(version):
        props = read_version_file(version)
        if props.get('storageType', 'NAME_NODE') != 'NAME_NODE':
            # A DataNode's or JournalNode's storage, not NameNode metadata.
            return {'path': path, 'state': 'unknown_data', 'storage_type': props.get('storageType')}
        return {'path': path, 'state': 'formatted', 'cluster_id': props.get('clusterID'),
                'namespace_id': props.get('namespaceID')}
    if os.path.isdir(path) and [e for e in os.listdir(path) if e not in _IGNORED_ENTRIES]:
        return {'path': path, 'state': 'unknown_data'}
    return {'path': path, 'state': 'empty'}


def local_state(dirs):
    """'formatted' or 'empty' for the directories together; ValueError naming
    the directories when they disagree or hold something else."""
    formatted = [d for d in dirs if d['state'] == 'formatted']
    unknown = [d for d in dirs if d['state'] == 'unknown_data']
    if unknown:
        raise ValueError(
            '%s hold data but no current/VERSION file of a NameNode. Check what they contain; move the data away '
            'or fix dfs.namenode.name.dir' % ', '.join(d['path'] for d in unknown))
    if not formatted:
        return 'empty'
    if len(formatted) != len(dirs):
        empty = [d['path'] for d in dirs if d['state'] == 'empty']
        raise ValueError(
            '%s are formatted but %s are empty. A NameNode copies its metadata to an empty name directory on '
            'start; start the NameNode' % (', '.join(d['path'] for d in formatted), ', '.join(empty)))
    ids = sorted(set(d['cluster_id'] for d in formatted))
    if len(ids) > 1:
        raise ValueError(
            'the name directories hold different cluster IDs (%s). They belong to different namespaces; fix '
            'dfs.namenode.name.dir before starting the NameNode'
            % ', '.join('%s=%s' % (d['path'], d['cluster_id']) for d in formatted))
    return 'formatted'


def _client(url, params):
    return HttpClient.from_params(url, params)


def journals(urls, nameservice, params):
    """{JournalNode URL: True (holds the nameservice's formatted journal) |
    False | None (no answer)} from each JournalNode's JMX."""
    found = {}
    for url in urls:
        try:
            beans = _client(url, params).get_json('/jmx', query={'qry': _JOURNAL_BEAN}).get('beans') or []
        except HadoopHttpError:
            found[url] = None
            continue
        found[url] = journal_formatted(beans[0] if beans else {}, nameservice)
    return found


def journal_last_written(url, nameservice, params):
    """The last transaction the JournalNode at url wrote to the nameservice's
    journal (its Journal-<nameservice> bean), or None when it has no such bean."""
    query = {'qry': 'Hadoop:service=JournalNode,name=Journal-%s' % nameservice}
    beans = _client(url, params).get_json('/jmx', query=query).get('beans') or []
    value = beans[0].get('LastWrittenTxId') if beans else None
    return int(value) if value not in (None, '') else None


def namenode_states(urls, params):
    """{NameNode URL: 'active' | 'standby' | ... | None (no answer)}."""
    return dict((member['url'], member['state']) for member in nameservice_members(urls, params, txids=False))


def nameservice_members(urls, params, txids=True):
    """Each NameNode of urls as {'url', 'state' (None: no answer),
    'last_txid', 'safemode'}: the last transaction it wrote (active) or
    applied from the JournalNodes (standby), the difference being the
    standby's lag, and its safe mode message ('' when it is out of safe mode,
    None when unknown)."""
    members = []
    for url in urls:
        client = _client(url, params)
        member = {'url': url, 'state': None, 'last_txid': None, 'safemode': None}
        try:
            status = (client.get_json('/jmx', query={'qry': _STATUS_BEAN}).get('beans') or [{}])[0]
            member['state'] = status.get('State')
            if txids:
                info = (client.get_json('/jmx', query={'qry': _INFO_BEAN}).get('beans') or [{}])[0]
                txid = json.loads(info.get('JournalTransactionInfo') or '{}').get('LastAppliedOrWrittenTxId')
                member['last_txid'] = int(txid) if txid not in (None, '') else None
                member['safemode'] = safemode_from_info(info)['message']
        except HadoopHttpError as e:
            member['error'] = str(e)
        members.append(member)
    return members
