#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: daemon_info
short_description: Whether a Hadoop, Spark or ZooKeeper daemon is up, from its systemd unit and its own endpoint
version_added: 0.1.0
description:
  - Reads the daemon's systemd unit and asks the daemon itself whether it works, the way its clients would
    see it. A daemon is ready when its endpoint answers as a working daemon does. For the NameNode, JMX answers
    with a HA state. For a DataNode, a block pool service is connected to a NameNode. For a ResourceManager,
    the REST API reports C(STARTED). For a NodeManager, the ResourceManager lists it as C(RUNNING),
    C(DECOMMISSIONING) or C(UNHEALTHY) (with a warning). For the history servers, their REST API answers. For a
    ZooKeeper server, the four-letter word C(srvr) reports it in a serving mode (C(leader), C(follower),
    C(observer), or C(standalone) for an ensemble of one); a server that has not joined a quorum is not ready.
  - With O(wait=true) the module polls until the daemon is ready, and fails at once when it crashes, that
    is, when the unit fails, waits for systemd to start it again (C(Restart=on-failure)), or runs another
    process than the one first seen. It also fails when O(timeout) passes. The message then ends with the
    unit's last journal lines and the last lines of O(log_file), so the cause shows in the play's output.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  wait:
    description:
      - Wait until the daemon is ready, and fail when it crashes or O(timeout) passes.
      - Without it, the module reports the state once and does not fail when the daemon is down.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 300
extends_documentation_fragment:
  - datafleet.hadoop.daemon
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Wait until the DataNode works, or show why it does not
  datafleet.hadoop.daemon_info:
    name: datanode
    url: http://dn1.example.com:9864
    wait: true
    log_file: /var/log/hadoop/hdfs/hdfs-datanode.log

- name: Is the NodeManager of this host RUNNING at the ResourceManager?
  datafleet.hadoop.daemon_info:
    name: nodemanager
    url: http://rm1.example.com:8088
    node: "{{ inventory_hostname }}:45454"
  register: nodemanager
'''

RETURN = r'''
unit:
  description: The systemd unit.
  returned: always
  type: str
  sample: hadoop-hdfs-datanode
active_state:
  description: The unit's ActiveState and SubState at the last look.
  returned: always
  type: str
  sample: active/running
pid:
  description: The daemon's main process, 0 when none runs.
  returned: always
  type: int
ready:
  description: Whether the daemon answered as a working daemon does.
  returned: always
  type: bool
detail:
  description: What the readiness check saw, or why the daemon is not ready.
  returned: always
  type: str
  sample: the DataNode is connected to nn1.example.com:8020
waited:
  description: Seconds spent waiting.
  returned: always
  type: float
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._service import Daemon, readiness_argument_spec


def main():
    argument_spec = readiness_argument_spec()
    argument_spec.update(wait=dict(type='bool', default=False))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('name', 'nodemanager', ('node',))])
    module.exit_json(changed=False, **Daemon(module).check(module.params['wait']))


if __name__ == '__main__':
    main()
