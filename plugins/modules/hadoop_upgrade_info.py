#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hadoop_upgrade_info
short_description: Where a rolling upgrade of Hadoop stands, and what stops it from starting
version_added: 0.1.0
description:
  - Reads every NameNode (JMX) and every ResourceManager (REST) and reports the version each daemon runs - the
    NameNodes' and ResourceManagers' own, the DataNodes' and NodeManagers' as the active NameNode and
    ResourceManager list them - the rolling upgrade HDFS has in progress, and which daemons still run another
    version than O(target_version).
  - Returns in RV(problems) what stops a rolling upgrade to O(target_version) from starting or resuming (or, with
    O(downgrade), the rolling downgrade back to it), each with its fix - a NameNode or ResourceManager that does
    not answer, not exactly one active NameNode or ResourceManager, a standby far behind, one NameNode without
    O(accept_outage), a rolling upgrade in progress that was not prepared for O(target_version) (see
    O(marker_file)), an unfinalized upgrade, safe mode, missing blocks, blocks with a corrupt replica (but for
    those of files open for write, and those HDFS cannot replace because every live DataNode holds a replica of
    the block, which get a warning), DataNodes being decommissioned or in maintenance, DataNodes of O(datanodes)
    not live or silent for 30 seconds, NodeManagers of O(nodemanagers) not running, a daemon running a newer
    version (a downgrade) or another major version. Resuming, a daemon that does not answer is no problem as long
    as a NameNode is active.
  - It only reads. The playbook C(datafleet.hadoop.upgrade) fails on the problems before any host changes.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  namenode_urls:
    description:
      - Base HTTP(S) URL of every NameNode of the cluster (one without HA).
    type: list
    elements: str
    required: true
  resourcemanager_urls:
    description:
      - Base HTTP(S) URL of every ResourceManager. Empty when the cluster has no YARN.
    type: list
    elements: str
    default: []
  datanodes:
    description:
      - Host names of the DataNodes the inventory expects, as the NameNode lists them.
    type: list
    elements: str
    default: []
  nodemanagers:
    description:
      - Host names of the NodeManagers the inventory expects, as the ResourceManager lists them.
    type: list
    elements: str
    default: []
  target_version:
    description:
      - The Hadoop version to upgrade to, for example V(3.5.0).
    type: str
    required: true
  marker_file:
    description:
      - File in which the upgrade records the version it prepared HDFS's rolling upgrade for. A rolling upgrade
        in progress is resumed when the file names O(target_version), and is a problem otherwise.
    type: path
  downgrade:
    description:
      - Check for HDFS's rolling downgrade back to O(target_version) instead. A rolling upgrade recorded in
        O(marker_file) must be in progress, and no daemon may run a version older than O(target_version).
    type: bool
    default: false
  accept_outage:
    description:
      - Accept that a cluster with one NameNode has no HDFS while the NameNode restarts.
    type: bool
    default: false
  fsck_user:
    description:
      - User the fsck summary (RV(fsck)) runs as, the HDFS superuser so that it sees every file.
    type: str
    default: hdfs
  fsck:
    description:
      - Return the summary of C(hdfs fsck /) in RV(fsck), read through the active NameNode's web server.
    type: bool
    default: false
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.info
seealso:
  - module: datafleet.hadoop.hdfs_info
  - module: datafleet.hadoop.yarn_info
'''

EXAMPLES = r'''
- name: Read where the upgrade to 3.5.0 stands
  datafleet.hadoop.hadoop_upgrade_info:
    namenode_urls: [http://nn1.example.com:9870, http://nn2.example.com:9870]
    resourcemanager_urls: [http://rm1.example.com:8088, http://rm2.example.com:8088]
    datanodes: "{{ groups['datanodes'] }}"
    nodemanagers: "{{ groups['nodemanagers'] }}"
    target_version: 3.5.0
    marker_file: /var/lib/datafleet/upgrade-target
  register: upgrade

- name: Stop before any change when something is wrong
  ansible.builtin.assert:
    that: upgrade.problems | length == 0
    fail_msg: "{{ upgrade.problems | join(' ') }}"
'''

RETURN = r'''
versions:
  description: The version each daemon runs, by kind (V(namenode), V(datanode), V(resourcemanager),
    V(nodemanager)) and then by URL or host.
  returned: always
  type: dict
  sample: {"namenode": {"http://nn1.example.com:9870": "3.4.2"}, "datanode": {"dn1.example.com": "3.5.0"},
           "resourcemanager": {}, "nodemanager": {}}
pending:
  description: By kind, the members that do not run O(target_version) yet.
  returned: always
  type: dict
  sample: {"namenode": ["http://nn1.example.com:9870"], "datanode": [], "resourcemanager": [], "nodemanager": []}
rolling_upgrade:
  description: HDFS's rolling upgrade in progress (the active NameNode's C(RollingUpgradeStatus)), null when none.
  returned: always
  type: dict
  sample: {"blockPoolId": "BP-1-172.18.0.2-1700000000000", "createdRollbackImages": true,
           "startTime": 1700000000000, "finalizeTime": 0}
marker:
  description: The target version recorded in O(marker_file), null when the file does not exist.
  returned: always
  type: str
namenodes:
  description: Each NameNode with its HA state (null when it does not answer, with C(error) saying why), version
    and lag behind the active one in transactions.
  returned: always
  type: list
  elements: dict
  sample: [{"url": "http://nn1.example.com:9870", "state": "active", "version": "3.4.2", "lag": 0, "error": null}]
cluster_id:
  description: The cluster ID the active NameNode reports.
  returned: always
  type: str
problems:
  description: What stops a rolling upgrade to O(target_version) from starting or resuming, each with its fix.
  returned: always
  type: list
  elements: str
report:
  description:
    - What C(hdfs dfsadmin -report) shows, from the active NameNode's JMX - capacity, blocks, files, DataNode
      counts, and each live, dead and decommissioning DataNode with its capacity, use, blocks, admin state and
      last contact. Null when no NameNode answers.
  returned: always
  type: dict
  sample: {"capacity": {"total": 1000, "used": 10, "remaining": 900, "non_dfs_used": 90}, "files_total": 12,
           "blocks": {"total": 8, "missing": 0, "corrupt": 0}, "datanodes": {"live": 2, "dead": 0},
           "live_nodes": [{"host": "dn1.example.com", "admin_state": "In Service", "used": 5, "blocks": 8}],
           "dead_nodes": [], "decommissioning_nodes": []}
fsck:
  description: The summary of C(hdfs fsck /) (the report's lines from C(Status:) on).
  returned: with O(fsck)
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import Fsck
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient, http_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import corrupt_allowance
from ansible_collections.datafleet.hadoop.plugins.module_utils._upgrade import pending, precheck_problems, running_versions
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import read_resourcemanager_facts


# The active NameNode's facts that make up dfsadmin -report.
REPORT = ('capacity', 'blocks', 'files_total', 'datanodes', 'live_nodes', 'dead_nodes', 'decommissioning_nodes')


def read_members(urls, params, reader):
    """[{'url', 'facts' (None when it does not answer), 'error'}] for each URL."""
    members = []
    for url in urls:
        member = {'url': url, 'facts': None}
        try:
            member['facts'] = reader(HttpClient.from_params(url, params))
        except HadoopHttpError as e:
            member['error'] = str(e)
        members.append(member)
    return members


def with_lag(namenodes):
    active = [m['facts'].get('last_txid') for m in namenodes
              if m['facts'] and m['facts'].get('ha_state') == 'active']
    for member in namenodes:
        txid = (member['facts'] or {}).get('last_txid')
        member['lag'] = active[0] - txid if active and active[0] is not None and txid is not None else None
    return namenodes


def read_marker(path):
    if not path or not os.path.exists(path):
        return None
    with open(path) as handle:
        return handle.read().strip() or None


def fsck_summary(namenodes, params, user):
    """The fsck report of / from its Status line on, from the active NameNode."""
    for member in namenodes:
        if member['facts'] and member['facts'].get('ha_state') in ('active', None):
            body = HttpClient.from_params(member['url'], params).request(
                'GET', '/fsck', query={'ugi': user, 'path': '/'}).body
            text = body.decode('utf-8', 'replace') if isinstance(body, bytes) else body
            lines = text.splitlines()
            start = next((i for i, line in enumerate(lines) if line.startswith('Status:')), 0)
            return '\n'.join(lines[start:]).strip()
    return None


def main():
    argument_spec = http_argument_spec()
    argument_spec.update(
        namenode_urls=dict(type='list', elements='str', required=True),
        resourcemanager_urls=dict(type='list', elements='str', default=[]),
        datanodes=dict(type='list', elements='str', default=[]),
        nodemanagers=dict(type='list', elements='str', default=[]),
        target_version=dict(type='str', required=True),
        marker_file=dict(type='path'),
        accept_outage=dict(type='bool', default=False),
        downgrade=dict(type='bool', default=False),
        fsck_user=dict(type='str', default='hdfs'),
        fsck=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    namenodes = with_lag(read_members(params['namenode_urls'], params, read_namenode_facts))
    resourcemanagers = read_members(params['resourcemanager_urls'], params, read_resourcemanager_facts)
    marker = read_marker(params['marker_file'])
    target = params['target_version']
    versions = running_versions(namenodes, resourcemanagers)
    answered = [m for m in namenodes if m['facts']]
    active_member = ([m for m in answered if m['facts'].get('ha_state') == 'active'] or answered[:1] or [None])[0]
    active = [active_member['facts']] if active_member else []
    allowed, stuck = 0, []
    if active and (active[0].get('blocks') or {}).get('corrupt'):
        try:
            allowed, stuck = corrupt_allowance(
                active[0], Fsck(HttpClient.from_params(active_member['url'], params), params['fsck_user']))
        except HadoopHttpError as e:
            module.warn('could not read which corrupt replicas HDFS cannot replace: %s' % e)
    problems = precheck_problems(namenodes, resourcemanagers, params['datanodes'], params['nodemanagers'], target,
                                 marker=marker, outage=params['accept_outage'], downgrade=params['downgrade'],
                                 allowed=allowed)
    for block in stuck:
        module.warn('%s block %s has a corrupt replica on %s that HDFS cannot replace (every live DataNode holds a '
                    'replica); its live replica is on %s. Add a DataNode, or rewrite the file, to heal it.'
                    % (block['path'], block['block'], ', '.join(block['corrupt']), ', '.join(block['live'])))
    result = dict(
        changed=False,
        versions=versions,
        pending=pending(versions, target),
        rolling_upgrade=active[0].get('rolling_upgrade') if active else None,
        cluster_id=active[0].get('cluster_id') if active else None,
        marker=marker,
        namenodes=[{'url': m['url'], 'state': (m['facts'] or {}).get('ha_state'),
                    'version': (m['facts'] or {}).get('software_version'), 'lag': m['lag'],
                    'error': m.get('error')} for m in namenodes],
        problems=problems,
        report=dict((key, active[0].get(key)) for key in REPORT) if active else None,
    )
    if params['fsck']:
        try:
            result['fsck'] = fsck_summary(namenodes, params, params['fsck_user'])
        except HadoopHttpError as e:
            result['problems'].append('fsck / failed: %s. Check the NameNode and run again.' % e)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
