#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_datanode_shutdown
short_description: Stop a DataNode for a quick restart, telling its clients to wait for it
version_added: 0.1.0
description:
  - Runs C(dfsadmin -shutdownDatanode <address> upgrade), the shutdown HDFS provides for rolling restarts
    and upgrades - clients writing through the DataNode wait for it to come back instead of rebuilding their
    pipeline without it - then polls the DataNode's IPC port until it no longer accepts connections (a TCP
    connect, no JVM start per question).
    Start its unit afterwards; systemd does not restart a DataNode that shut down this way.
  - A DataNode whose IPC port does not accept connections is left as it is (not changed).
  - With O(namenode_url), a guard runs before the shutdown. The NameNode must report no missing block, no block
    with a corrupt replica beyond the under-replicated blocks of files open for write (their writers wait for a
    DataNode stopped this way) and the blocks whose corrupt replica HDFS cannot replace (every live DataNode
    holds a replica of the block, so there is nowhere to copy a live one to), no safe mode, and every
    in-service DataNode not in O(batch) live and heard from in the last 30 seconds; otherwise the module fails
    and stops nothing. fsck lists the files and replicas, as O(admin_user).
  - In check mode it only tries the DataNode's IPC port.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  address:
    description:
      - The DataNode's IPC address, C(host:port) of C(dfs.datanode.ipc.address) (port 9867 by default).
    type: str
    required: true
  batch:
    description:
      - DataNodes (host names as the NameNode lists them) stopping together with this one; the guard does not
        count them as dead. Defaults to the host of O(address).
    type: list
    elements: str
  timeout:
    description:
      - Seconds to wait until the DataNode has stopped.
    type: int
    default: 120
  poll_interval:
    description:
      - Seconds between two questions while waiting (a TCP connect each).
    type: float
    default: 0.5
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)); the HDFS administrator.
    type: str
    default: hdfs
  namenode_url:
    description:
      - URL of the NameNode's web server (with high availability, every NameNode's, separated by commas) for
        the guard. Without it, no guard.
    type: str
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hdfs_rolling_info
'''

EXAMPLES = r'''
- name: Stop the DataNode of this host for a rolling restart
  datafleet.hadoop.hdfs_datanode_shutdown:
    address: "{{ inventory_hostname }}:9867"
    namenode_url: http://nn1.example.com:9870
'''

RETURN = r'''
was_running:
  description: Whether the DataNode answered before the shutdown.
  returned: always
  type: bool
waited:
  description: Seconds between the shutdown request and the DataNode no longer answering.
  returned: always
  type: float
'''

import socket
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import Fsck
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import corrupt_allowance, plan_problems

# Bound here so that tests can replace them.
clock = time.time
sleep = time.sleep
connect = socket.create_connection


def answers(address, timeout=2):
    """Whether the DataNode's IPC port (host:port) accepts a connection. The port closes when the
    DataNode stops; asking with dfsadmin -getDatanodeInfo instead would start a JVM per question."""
    host, port = address.rsplit(':', 1)
    try:
        connect((host, int(port)), timeout).close()
    except (socket.error, OSError, ValueError):
        return False
    return True


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        address=dict(type='str', required=True),
        batch=dict(type='list', elements='str'),
        timeout=dict(type='int', default=120),
        poll_interval=dict(type='float', default=0.5),
        admin_user=dict(type='str', default='hdfs'),
    )
    argument_spec['namenode_url'] = dict(type='str')
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    address = params['address']
    if ':' not in address:
        module.fail_json(msg='address must be host:port (dfs.datanode.ipc.address), got %r' % address)
    if not answers(address):
        module.exit_json(changed=False, was_running=False, waited=0.0)
    if params['namenode_url']:
        batch = params['batch'] or [address.rsplit(':', 1)[0]]
        try:
            client = namenode_client(params)
            facts = read_namenode_facts(client)
            problems = plan_problems(facts, batch, corrupt_allowance(facts, Fsck(client, params['admin_user']))[0])
        except (HadoopHttpError, ValueError) as e:
            module.fail_json(msg='Refusing to stop the DataNode %s: the NameNode does not answer (%s)' % (address, e))
        if problems:
            module.fail_json(msg='Refusing to stop the DataNode %s: %s' % (address, ' Also: '.join(problems)))
    if module.check_mode:
        module.exit_json(changed=True, was_running=True, waited=0.0)
    HadoopCli(module, params['admin_user']).run('dfsadmin', ['-shutdownDatanode', address, 'upgrade'])
    start = clock()
    while answers(address):
        if clock() - start >= params['timeout']:
            module.fail_json(msg='The DataNode %s still answers %ss after -shutdownDatanode: look at its log'
                                 % (address, params['timeout']))
        sleep(params['poll_interval'])
    module.exit_json(changed=True, was_running=True, waited=round(clock() - start, 1))


if __name__ == '__main__':
    main()
