#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_ready
short_description: Wait until HDFS serves clients, then make its base directories what they should be, in one call
version_added: 0.1.0
description:
  - Polls the NameNode's JMX until HDFS is out of safe mode and every DataNode of O(members) that the hosts
    file O(hosts_file) keeps in service (members not listed yet count as in service) is live and in service.
    Decommissioned DataNodes and those in maintenance are not waited for.
  - Then creates or corrects the directories of O(paths) over WebHDFS, as M(datafleet.hadoop.hdfs_path) does
    with its C(paths) option.
  - Fails when O(wait_timeout) passes, naming what HDFS still lacks.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  members:
    description:
      - The DataNodes of the inventory, by the names the NameNode knows them by.
    type: list
    elements: str
    default: []
  hosts_file:
    description:
      - The NameNode's JSON hosts file (C(dfs.hosts)), read for the admin state of each member.
    type: path
    default: /etc/hadoop/conf/dfs.hosts.json
  wait_timeout:
    description:
      - Seconds to wait for HDFS.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two looks.
    type: int
    default: 3
extends_documentation_fragment:
  - datafleet.hadoop.directories.hdfs
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.endpoint.webhdfs
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hdfs_path
  - module: datafleet.hadoop.hdfs_safemode
  - module: datafleet.hadoop.hdfs_info
'''

EXAMPLES = r'''
- name: Wait for HDFS and create its base directories
  datafleet.hadoop.hdfs_ready:
    members: [dn1.example.com, dn2.example.com]
    paths:
      - {path: /tmp, mode: "1777"}
      - {path: /user, mode: "0755"}
    owner: hdfs
    group: hadoop
    user: hdfs
    namenode_url: http://nn1.example.com:9870
'''

RETURN = r'''
waited:
  description: Seconds spent waiting for HDFS.
  returned: always
  type: float
live:
  description: The DataNodes waited for, all live and in service.
  returned: success
  type: list
  elements: str
  sample: [dn1.example.com, dn2.example.com]
paths:
  description: Each path of O(paths), whether it changed and its status after the run.
  returned: success
  type: list
  elements: dict
  sample: [{"path": "/tmp", "changed": false,
            "status": {"state": "directory", "owner": "hdfs", "group": "hadoop", "mode": "1777", "length": 0}}]
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._hosts_files import (
    HostsFileError, hdfs_entry_state, parse_hdfs_hosts, plan_hdfs_hosts)
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import read_text
from ansible_collections.datafleet.hadoop.plugins.module_utils._webhdfs import (
    WebHdfs, directory_items, ensure_path, path_results, paths_option)


def expected_live(members, hosts_text):
    """The members HDFS must have live: those the hosts file keeps (or will
    admit) in service."""
    entries, dummy = plan_hdfs_hosts(parse_hdfs_hosts(hosts_text), [], 'in_service', members)
    states = dict((entry['hostName'], hdfs_entry_state(entry)) for entry in entries)
    return sorted(m for m in members if states.get(m, 'in_service') == 'in_service')


def lacking(facts, expected):
    """What HDFS still lacks to serve clients, as sentences; empty when ready."""
    problems = []
    if facts['safemode']['on']:
        problems.append('the NameNode is in safe mode (%s)' % facts['safemode']['message'].strip())
    live = set(n['host'] for n in facts['live_nodes'] if n.get('admin_state') == 'In Service')
    missing = [host for host in expected if host not in live]
    if missing:
        problems.append('not live and in service: %s' % ', '.join(missing))
    return problems


def main():
    argument_spec = http_argument_spec(namenode=True, webhdfs=True)
    argument_spec.update(
        members=dict(type='list', elements='str', default=[]),
        hosts_file=dict(type='path', default='/etc/hadoop/conf/dfs.hosts.json'),
        paths=paths_option(),
        wait_timeout=dict(type='int', default=600),
        poll_interval=dict(type='int', default=3),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        each = directory_items(params['paths'], params['owner'], params['group'], params['mode'])
        expected = expected_live(params['members'], read_text(params['hosts_file']))
    except (ValueError, HostsFileError) as e:
        module.fail_json(msg='%s' % e)
    except (IOError, OSError) as e:
        module.fail_json(msg='cannot read %s: %s' % (params['hosts_file'], e))
    client = namenode_client(params)
    started = time.time()
    problems = ['no answer from the NameNode yet']
    while True:
        try:
            problems = lacking(read_namenode_facts(client), expected)
        except HadoopHttpError as e:
            problems = ['no answer from the NameNode yet: %s' % e]
        if not problems or time.time() - started >= params['wait_timeout']:
            break
        time.sleep(params['poll_interval'])
    waited = round(time.time() - started, 1)
    if problems:
        module.fail_json(msg='HDFS is not ready after %d s: %s.' % (params['wait_timeout'], '; '.join(problems)),
                         waited=waited)
    fs = WebHdfs(namenode_client(params), user=params['user'])
    try:
        results = [ensure_path(fs, item, module.check_mode) for item in each]
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), waited=waited)
    paths, diff = path_results(results)
    module.exit_json(changed=any(r[0] for r in results), waited=waited, live=expected, paths=paths, diff=diff)


if __name__ == '__main__':
    main()
