#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: daemon_service
short_description: Make a Hadoop, Spark or ZooKeeper daemon's systemd unit enabled and running, and check it works, in one call
version_added: 0.1.0
description:
  - Makes the daemon's systemd unit enabled (or disabled) and started, restarted or stopped, as
    M(ansible.builtin.systemd_service) does, reloading systemd's configuration first when asked.
  - Then, unless the daemon is stopped, checks it is up the way M(datafleet.hadoop.daemon_info) does, and
    with O(wait=true) waits until it is ready, failing with the unit's last journal lines and the daemon's
    log when it crashes or O(timeout) passes. A converged daemon therefore costs one module call.
  - In check mode nothing is changed; a daemon whose unit would change state is not checked.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  name:
    description:
      - The daemon, as the collection names it. It chooses the readiness check and, unless O(unit) is given,
        the systemd unit.
    type: str
    required: true
    choices: [namenode, datanode, journalnode, zkfc, resourcemanager, nodemanager, historyserver, spark_history, zookeeper]
  unit:
    description:
      - The systemd unit, when it is not the collection's name for O(name).
    type: str
  state:
    description:
      - V(started) starts a unit that is not running, V(restarted) restarts it (or starts it), V(stopped)
        stops a running one.
    type: str
    required: true
    choices: [started, restarted, stopped]
  enabled:
    description:
      - Whether the unit starts at boot; unchanged when not given.
    type: bool
  daemon_reload:
    description:
      - Reload systemd's configuration first (after the unit file changed).
    type: bool
    default: false
  url:
    description:
      - Where the readiness check asks, as for M(datafleet.hadoop.daemon_info).
    type: str
    required: true
  node:
    description:
      - For O(name=nodemanager), the node id the ResourceManager knows it by.
    type: str
  wait:
    description:
      - Wait until the daemon is ready, and fail when it crashes or O(timeout) passes. Without it, the
        readiness is reported once.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 300
  log_file:
    description:
      - The daemon's own log file, whose last lines are shown when it does not come up.
    type: path
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.daemon_info
  - module: ansible.builtin.systemd_service
'''

EXAMPLES = r'''
- name: Run the DataNode and wait until it works
  datafleet.hadoop.daemon_service:
    name: datanode
    state: started
    enabled: true
    url: http://dn1.example.com:9864
    log_file: /var/log/hadoop/hdfs/hdfs-datanode.log
  register: datanode
'''

RETURN = r'''
actions:
  description: The systemctl actions taken (or that would be, in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [enable, start]
unit:
  description: The systemd unit.
  returned: always
  type: str
  sample: hadoop-hdfs-datanode
ready:
  description: Whether the daemon answered as a working daemon does; null when it was not checked (stopped, or
    changed in check mode).
  returned: always
  type: bool
active_state:
  description: The unit's ActiveState and SubState at the readiness check.
  returned: when the daemon was checked
  type: str
  sample: active/running
pid:
  description: The daemon's main process at the readiness check.
  returned: when the daemon was checked
  type: int
detail:
  description: What the readiness check saw, or why the daemon is not ready.
  returned: when the daemon was checked
  type: str
  sample: the DataNode is connected to nn1.example.com:8020
waited:
  description: Seconds spent waiting for the daemon.
  returned: when the daemon was checked
  type: float
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._service import Daemon, readiness_argument_spec


def main():
    argument_spec = readiness_argument_spec()
    argument_spec.update(
        state=dict(type='str', required=True, choices=['started', 'restarted', 'stopped']),
        enabled=dict(type='bool'),
        daemon_reload=dict(type='bool', default=False),
        wait=dict(type='bool', default=True),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('name', 'nodemanager', ('node',))])
    params = module.params
    daemon = Daemon(module)
    actions = daemon.converge(params['state'], params['enabled'], params['daemon_reload'])
    result = dict(changed=bool(actions), actions=actions, unit=daemon.unit, ready=None)
    if params['state'] != 'stopped' and not (module.check_mode and actions):
        result.update(daemon.check(params['wait']))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
