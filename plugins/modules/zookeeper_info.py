#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: zookeeper_info
short_description: Read the mode of each server of a ZooKeeper ensemble
version_added: 0.1.0
description:
  - Asks each server of O(servers) the four-letter word C(srvr) on its client port and returns its mode
    (leader, follower, observer, standalone, or none when it is not in a quorum), its version and last zxid,
    and the ensemble's leader.
  - A server that does not answer is reported with its error; the module does not fail for it.
  - C(srvr) must be in the servers' C(4lw.commands.whitelist), as the datafleet.hadoop.zookeeper role sets it.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  servers:
    description:
      - The servers, as host names or C(host:port).
    type: list
    elements: str
    required: true
  port:
    description:
      - Client port of the servers given without one.
    type: int
    default: 2181
  timeout:
    description:
      - Seconds to wait for each server's answer.
    type: int
    default: 5
extends_documentation_fragment:
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Find the leader of the ensemble
  datafleet.hadoop.zookeeper_info:
    servers: [zk1.example.com, zk2.example.com, zk3.example.com]
  register: ensemble

- name: Show it
  ansible.builtin.debug:
    msg: "{{ ensemble.leader }} leads; followers {{ ensemble.followers }}"
'''

RETURN = r'''
servers:
  description: Each server of O(servers), in that order.
  returned: always
  type: list
  elements: dict
  contains:
    server:
      description: The server as given.
      type: str
    mode:
      description: Its mode; null when it does not answer or is not in a quorum.
      type: str
    version:
      description: Its ZooKeeper version.
      type: str
    zxid:
      description: The last transaction id it applied.
      type: int
    error:
      description: Why it has no mode, when it has none.
      type: str
  sample: [{"server": "zk1.example.com", "mode": "leader", "version": "3.9.5", "zxid": 4294967296, "error": null}]
leader:
  description: The server that is leader, or null when none of O(servers) is.
  returned: always
  type: str
followers:
  description: The servers that are followers.
  returned: always
  type: list
  elements: str
serving:
  description: How many of O(servers) serve clients (leader, follower, observer or standalone).
  returned: always
  type: int
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import (
    SERVING_MODES, FourLetterClient, ZooKeeperError)


def server_state(server, port, timeout):
    host, sep, given = server.rpartition(':')
    if not sep:
        host = server
    try:
        state = FourLetterClient(host, int(given) if sep else port, timeout).srvr()
    except (ZooKeeperError, ValueError) as e:
        return {'server': server, 'mode': None, 'version': None, 'zxid': None, 'error': str(e)}
    return {'server': server, 'mode': state['mode'], 'version': state.get('version'), 'zxid': state.get('zxid'),
            'error': state.get('detail')}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            servers=dict(type='list', elements='str', required=True),
            port=dict(type='int', default=2181),
            timeout=dict(type='int', default=5),
        ),
        supports_check_mode=True,
    )
    params = module.params
    states = [server_state(server, params['port'], params['timeout']) for server in params['servers']]
    leaders = [s['server'] for s in states if s['mode'] == 'leader']
    module.exit_json(
        changed=False,
        servers=states,
        leader=leaders[0] if leaders else None,
        followers=[s['server'] for s in states if s['mode'] == 'follower'],
        serving=len([s for s in states if s['mode'] in SERVING_MODES]),
    )


if __name__ == '__main__':
    main()
