#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_reconfig
short_description: Make a running NameNode or DataNode take in its changed configuration without a restart
version_added: 0.1.0
description:
  - Runs C(dfsadmin -reconfig DAEMON ADDRESS start) and waits for the task with C(status). The daemon re-reads
    its configuration files and changes, while it runs, each property whose value differs and that it lists as
    reconfigurable (C(dfsadmin -reconfig DAEMON ADDRESS properties)), for example a DataNode's
    C(dfs.datanode.balance.max.concurrent.moves) or C(dfs.datanode.data.dir) (hot-swapped volumes), or the
    NameNode's C(dfs.namenode.replication.max-streams).
  - It changes what differs, on this one daemon. Which changes a cluster takes in this way, and which restart
    daemons in gated batches instead, is the roles' decision (docs/rolling.md).
  - Fails, naming the property and the daemon's reason, when the daemon refuses a value.
  - With O(properties), it first asks the daemon which properties it can change while it runs, and fails before
    any change when one of O(properties) that the collection reconfigures for this kind of daemon is not among
    them (a Hadoop release that does not list it); restart that daemon then, with
    C(playbooks/rolling_restart.yml).
  - Differences in other properties the daemon cannot change at run time are returned in RV(not_reconfigurable);
    they apply at its next restart.
  - Changed when the daemon changed a property; a second run finds nothing to change.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  daemon:
    description:
      - Which daemon listens at O(address).
    type: str
    choices: [namenode, datanode]
    required: true
  address:
    description:
      - Its RPC address, C(host:port) - the NameNode's C(dfs.namenode.rpc-address) (port 8020 by default), the
        DataNode's C(dfs.datanode.ipc.address) (port 9867 by default).
    type: str
    required: true
  properties:
    description:
      - Names of the properties that changed, when known. Those the collection reconfigures on this kind of
        daemon must be reconfigurable in the running daemon.
    type: list
    elements: str
    default: []
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)); the HDFS administrator.
        A Kerberized cluster ignores it and uses the ticket cache.
    type: str
    default: hdfs
  reconfig_timeout:
    description:
      - Seconds to wait for the reconfiguration task to finish.
    type: int
    default: 120
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: partial
    details: In check mode it asks nothing and reports a change, the reconfiguration it would start.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  idempotent:
    description: When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: full
seealso:
  - module: datafleet.hadoop.hdfs_namenode_reconfig
  - name: dfsadmin -reconfig
    description: The HDFS commands guide.
    link: https://hadoop.apache.org/docs/stable/hadoop-project-dist/hadoop-hdfs/HDFSCommands.html#dfsadmin
'''

EXAMPLES = r'''
- name: Take in a new balancer bandwidth on this host's DataNode
  datafleet.hadoop.hdfs_reconfig:
    daemon: datanode
    address: "{{ inventory_hostname }}:9867"
    properties: [dfs.datanode.balance.max.concurrent.moves]
'''

RETURN = r'''
reconfigured:
  description: The properties the daemon changed, with their old and new values.
  returned: success
  type: list
  elements: dict
  sample: [{"property": "dfs.datanode.balance.max.concurrent.moves", "from": "100", "to": "150"}]
not_reconfigurable:
  description: Properties whose value differs but that the daemon takes in at its next restart only.
  returned: success
  type: list
  elements: str
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils import _reconfig
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._daemons import RECONFIGURABLE

# Bound here so that tests can replace them.
clock = time.time
sleep = time.sleep

_NAMES = {'namenode': 'NameNode', 'datanode': 'DataNode'}


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(
        daemon=dict(type='str', required=True, choices=['namenode', 'datanode']),
        address=dict(type='str', required=True),
        properties=dict(type='list', elements='str', default=[]),
        admin_user=dict(type='str', default='hdfs'),
        reconfig_timeout=dict(type='int', default=120),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    daemon, address = params['daemon'], params['address']
    if module.check_mode:
        module.exit_json(changed=True, reconfigured=[], not_reconfigurable=[])

    cli = HadoopCli(module, params['admin_user'])
    expected = sorted(set(params['properties']) & RECONFIGURABLE[daemon])
    try:
        if expected:
            listed = _reconfig.parse_properties(
                cli.run('dfsadmin', ['-reconfig', daemon, address, 'properties'])[1])
            unlisted = [name for name in expected if name not in listed]
            if unlisted:
                module.fail_json(msg='the %s %s cannot change %s while it runs (its Hadoop release does not list '
                                     'it as reconfigurable): restart it, for example with '
                                     'datafleet.hadoop.rolling_restart and hadoop_restart_daemons=["%s"]'
                                     % (_NAMES[daemon], address, ', '.join(unlisted), daemon))
        changed, failed = _reconfig.reconfigure(cli, daemon, address, params['reconfig_timeout'],
                                                sleep=sleep, clock=clock)
    except _reconfig.ReconfigError as e:
        module.fail_json(msg=str(e))
    refused = _reconfig.refused(failed)
    later = sorted(name for name, error in failed if (name, error) not in refused)
    result = dict(changed=bool(changed), reconfigured=changed, not_reconfigurable=later)
    if refused:
        module.fail_json(msg='the %s %s refused %s; fix the value and run again'
                             % (_NAMES[daemon], address, '; '.join('%s: %s' % f for f in refused)), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
