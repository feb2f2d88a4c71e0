# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The admin state of workers as the masters read it from their host files.

HDFS: the JSON hosts file of CombinedHostFileManager (dfs.hosts), one object
per DataNode; ``adminState`` DECOMMISSIONED or IN_MAINTENANCE asks the NameNode
for that state, no ``adminState`` (or NORMAL) means in service.

YARN: a plain include file (one host per line) and an XML exclude file whose
entries may carry a graceful decommission timeout.

Everything here is pure: plan_* functions take the current content and the
wanted state and return the new content plus a list of changes, so the modules
can show a diff and run in check mode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from xml.etree import ElementTree

HDFS_STATES = {
    'in_service': None,
    'decommissioned': 'DECOMMISSIONED',
    'in_maintenance': 'IN_MAINTENANCE',
}


class HostsFileError(ValueError):
    pass


def parse_hdfs_hosts(text):
    """Entries of a dfs.hosts JSON file: a JSON array, or (older Hadoop) one object per line."""
    text = (text or '').strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as e:
            raise HostsFileError('not a JSON hosts file: %s' % e)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(e, dict) and e.get('hostName') for e in data):
        raise HostsFileError('a JSON hosts file is a list of objects with a hostName')
    return data


def render_hdfs_hosts(entries):
    return json.dumps(sorted(entries, key=lambda e: e['hostName']), indent=2, sort_keys=True) + '\n'


def hdfs_entry_state(entry):
    """in_service, decommissioned or in_maintenance, as the entry asks for."""
    if entry is None:
        return None
    wanted = entry.get('adminState') or 'NORMAL'
    for state, value in HDFS_STATES.items():
        if value == wanted:
            return state
    return 'in_service'


def plan_hdfs_hosts(entries, hosts, state, members=None, expiry_ms=None, now_ms=0):
    """New entries of the hosts file and the changes made to it.

    hosts get state (in_service / decommissioned / in_maintenance). members, when
    given, is every DataNode of the cluster: those not yet in the file are added
    in service (hosts already there keep their state, so a re-run of the deployment
    never undoes a decommission), and decommissioned entries of hosts that are no
    longer members are dropped. An unexpired maintenance keeps its expiry.
    """
    by_host = dict((e['hostName'], dict(e)) for e in entries)
    changes = []

    def record(host, before, after):
        if before != after:
            changes.append({'host': host, 'before': before, 'after': after})

    for host in members or []:
        if host not in by_host:
            by_host[host] = {'hostName': host}
            record(host, None, 'in_service')
    for host in hosts:
        entry = by_host.get(host)
        before = hdfs_entry_state(entry)
        entry = entry or {'hostName': host}
        entry.pop('adminState', None)
        expiry = entry.pop('maintenanceExpireTimeInMS', None)
        if state == 'in_maintenance':
            if before != 'in_maintenance' or expiry is None or expiry <= now_ms:
                expiry = expiry_ms
            entry['adminState'] = 'IN_MAINTENANCE'
            if expiry is not None:
                entry['maintenanceExpireTimeInMS'] = expiry
        elif state == 'decommissioned':
            entry['adminState'] = 'DECOMMISSIONED'
        by_host[host] = entry
        record(host, before, state)
    if members is not None:
        keep = set(members) | set(hosts)
        for host in sorted(by_host):
            if host not in keep and hdfs_entry_state(by_host[host]) == 'decommissioned':
                del by_host[host]
                changes.append({'host': host, 'before': 'decommissioned', 'after': None})
    new = sorted(by_host.values(), key=lambda e: e['hostName'])
    changes.sort(key=lambda c: c['host'])
    return new, changes


def parse_yarn_include(text):
    return [line.strip() for line in (text or '').splitlines() if line.strip() and not line.startswith('#')]


def render_yarn_include(hosts):
    return ''.join('%s\n' % host for host in sorted(set(hosts)))


def parse_yarn_exclude(text):
    """{host: timeout seconds or None} from the XML exclude file."""
    text = (text or '').strip()
    if not text:
        return {}
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as e:
        raise HostsFileError('not an XML exclude file: %s' % e)
    result = {}
    for host in root.iter('host'):
        name = (host.findtext('name') or '').strip()
        timeout = (host.findtext('timeout') or '').strip()
        if name:
            result[name] = int(timeout) if timeout.lstrip('-').isdigit() else None
    return result


def render_yarn_exclude(excluded):
    lines = ['<?xml version="1.0"?>', '<!-- NodeManagers to decommission, with their graceful timeout'
             ' (seconds). Managed by datafleet.hadoop.yarn_node_admin. -->', '<hosts>']
    for name in sorted(excluded):
        timeout = excluded[name]
        lines.append('  <host><name>%s</name>%s</host>'
                     % (_xml_text(name), '' if timeout is None else '<timeout>%d</timeout>' % timeout))
    lines.append('</hosts>')
    return '\n'.join(lines) + '\n'


def _xml_text(value):
    return value.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def plan_yarn_hosts(included, excluded, hosts, state, members=None, timeout=None):
    """New include list, exclude map and the changes.

    A decommissioned NodeManager stays in the exclude file (that is the record
    that keeps it out) and leaves the include list only when it is no longer a
    member. members not yet included are added in service.
    """
    included = list(included)
    excluded = dict(excluded)
    changes = []
    for host in members or []:
        if host not in included and host not in excluded:
            included.append(host)
            changes.append({'host': host, 'before': None, 'after': 'in_service'})
    for host in hosts:
        before = 'decommissioned' if host in excluded else ('in_service' if host in included else None)
        if state == 'decommissioned':
            excluded[host] = excluded.get(host, timeout) if host in excluded else timeout
        else:
            excluded.pop(host, None)
        if host not in included:
            included.append(host)
        if before != state:
            changes.append({'host': host, 'before': before, 'after': state})
    if members is not None:
        keep = set(members) | set(hosts)
        for host in sorted(set(included) | set(excluded)):
            if host not in keep and host in excluded:
                excluded.pop(host)
                if host in included:
                    included.remove(host)
                changes.append({'host': host, 'before': 'decommissioned', 'after': None})
    changes.sort(key=lambda c: c['host'])
    return sorted(set(included)), excluded, changes
