#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_datanode_shutdown
short_description: Stop DataNodes for a quick restart, telling their clients to wait for them
version_added: 0.1.0
description:
  - Asks each DataNode of O(addresses) to shut down for a quick restart - the shutdown HDFS provides for rolling
    restarts and upgrades, C(dfsadmin -shutdownDatanode <address> upgrade), with which clients writing through
    the DataNode wait for it to come back instead of rebuilding their pipeline without it - then polls the
    DataNodes' IPC ports until none accepts connections (a TCP connect, no JVM start per question). Start
    their units afterwards; systemd does not restart a DataNode that shut down this way.
  - The request is one Hadoop IPC call made by the module itself, with simple authentication as
    O(admin_user), instead of a C(dfsadmin) JVM. A DataNode that refuses simple authentication (a cluster
    with Kerberos) is asked by C(dfsadmin) instead, which authenticates with the host's credentials.
  - DataNodes whose IPC port does not accept connections are left as they are; when none does, nothing
    changes.
  - With O(after), first waits until that batch, restarted before, is back - the gate of
    M(datafleet.hadoop.hdfs_rolling_info) with O(baseline) - and fails without stopping anything when it
    is not, naming what it saw.
  - With O(namenode_url), a guard runs before the shutdown. The NameNode must report no missing block, no block
    with a corrupt replica beyond the under-replicated blocks of files open for write (their writers wait for a
    DataNode stopped this way) and the blocks whose corrupt replica HDFS cannot replace (every live DataNode
    holds a replica of the block, so there is nowhere to copy a live one to), no safe mode, and every
    in-service DataNode not in O(batch) live and heard from in the last 30 seconds; otherwise the module fails
    and stops nothing. fsck lists the files and replicas, as O(admin_user).
  - In check mode it only tries the DataNodes' IPC ports, and does not wait for O(after).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  addresses:
    description:
      - The IPC addresses of the DataNodes to stop together, C(host:port) of C(dfs.datanode.ipc.address) (port
        9867 by default). The module talks to them over the network, so it can run on any host that reaches
        them.
    type: list
    elements: str
    required: true
    aliases: [address]
  batch:
    description:
      - DataNodes (host names as the NameNode lists them) stopping together in this batch; the guard does not
        count them as dead. Defaults to the hosts of O(addresses).
    type: list
    elements: str
  after:
    description:
      - DataNodes (host names as the NameNode lists them) restarted just before, to wait for until they are
        back before stopping anything. Needs O(namenode_url).
    type: list
    elements: str
  baseline:
    description:
      - Under-replicated blocks the NameNode counted before O(after) stopped (the RV(under_replicated) of the
        call that stopped them); the gate waits until there are no more.
    type: int
    default: 0
  after_timeout:
    description:
      - Seconds to wait for O(after).
    type: int
    default: 600
  timeout:
    description:
      - Seconds to wait until the DataNodes have stopped.
    type: int
    default: 120
  poll_interval:
    description:
      - Seconds between two questions while waiting (a TCP connect to each DataNode, or a read of the
        NameNode for O(after)).
    type: float
    default: 0.5
  admin_user:
    description:
      - User the request is made as with simple authentication; the HDFS administrator (the DataNode accepts
        it from its own user and the members of C(dfs.permissions.superusergroup)).
    type: str
    default: hdfs
  namenode_url:
    description:
      - URL of the NameNode's web server (with high availability, every NameNode's, separated by commas) for
        the guard and O(after). Without it, no guard.
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
    addresses: "{{ inventory_hostname }}:9867"
    namenode_url: http://nn1.example.com:9870

- name: Stop the second rack once the first one is back
  datafleet.hadoop.hdfs_datanode_shutdown:
    addresses: [dn3.example.com:9867, dn4.example.com:9867]
    after: [dn1.example.com, dn2.example.com]
    baseline: "{{ first_rack_stop.under_replicated }}"
    namenode_url: http://nn1.example.com:9870
  run_once: true
  register: second_rack_stop
'''

RETURN = r'''
stopped:
  description: The addresses of the DataNodes asked to shut down (those that answered).
  returned: always
  type: list
  elements: str
  sample: [dn1.example.com:9867]
waited:
  description: Seconds between the first shutdown request and the last DataNode no longer answering.
  returned: always
  type: float
after_waited:
  description: Seconds waited until O(after) was back.
  returned: when O(after) was waited for
  type: float
under_replicated:
  description: Under-replicated blocks the NameNode counted right before the shutdown, the baseline of this
    batch's gate.
  returned: when O(namenode_url) is set
  type: int
'''

import socket
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import Fsck
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._ipc import IpcError, shutdown_datanode
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import (
    corrupt_allowance, plan_problems, wait_for_batch)

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


def request_shutdown(module, address):
    """One Hadoop IPC call; dfsadmin when the DataNode wants more than simple authentication."""
    params = module.params
    try:
        shutdown_datanode(address, params['admin_user'], connect=connect)
    except IpcError as e:
        if not e.fatal:
            module.fail_json(msg='The DataNode %s refused to shut down: %s' % (address, e))
        HadoopCli(module, params['admin_user']).run('dfsadmin', ['-shutdownDatanode', address, 'upgrade'])
    except (socket.error, OSError, ValueError) as e:
        module.fail_json(msg='Could not ask the DataNode %s to shut down: %s' % (address, e))


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        addresses=dict(type='list', elements='str', required=True, aliases=['address']),
        batch=dict(type='list', elements='str'),
        after=dict(type='list', elements='str'),
        baseline=dict(type='int', default=0),
        after_timeout=dict(type='int', default=600),
        timeout=dict(type='int', default=120),
        poll_interval=dict(type='float', default=0.5),
        admin_user=dict(type='str', default='hdfs'),
    )
    argument_spec['namenode_url'] = dict(type='str')
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_by={'after': 'namenode_url'})
    params = module.params
    addresses = params['addresses']
    wrong = [address for address in addresses if ':' not in address]
    if wrong or not addresses:
        module.fail_json(msg='addresses must be host:port (dfs.datanode.ipc.address), got %r' % (wrong or addresses))
    result = dict(changed=False, stopped=[], waited=0.0)
    facts = None
    if params['namenode_url']:
        try:
            client = namenode_client(params)
            fsck = Fsck(client, params['admin_user'])
            if params['after'] and not module.check_mode:
                facts, waited = wait_for_batch(client, fsck, params['after'], params['baseline'],
                                               params['after_timeout'], params['poll_interval'], clock, sleep)
                result['after_waited'] = round(waited, 1)
            else:
                facts = read_namenode_facts(client)
        except HadoopHttpError as e:
            module.fail_json(msg='Refusing to stop the DataNodes %s: the NameNode does not answer (%s)'
                                 % (', '.join(addresses), e), **result)
        except ValueError as e:
            module.fail_json(msg=str(e), **result)
        result['under_replicated'] = facts['blocks'].get('under_replicated') or 0
    running = [address for address in addresses if answers(address)]
    if not running:
        module.exit_json(**result)
    if facts is not None:
        batch = params['batch'] or [address.rsplit(':', 1)[0] for address in addresses]
        try:
            problems = plan_problems(facts, batch, corrupt_allowance(facts, fsck)[0])
        except (HadoopHttpError, ValueError) as e:
            module.fail_json(msg='Refusing to stop the DataNodes %s: the NameNode does not answer (%s)'
                                 % (', '.join(running), e), **result)
        if problems:
            module.fail_json(msg='Refusing to stop the DataNodes %s: %s' % (', '.join(running), ' Also: '.join(problems)),
                             **result)
    result.update(changed=True, stopped=running)
    if module.check_mode:
        module.exit_json(**result)
    for address in running:
        request_shutdown(module, address)
    start = clock()
    while True:
        left = [address for address in running if answers(address)]
        if not left:
            break
        if clock() - start >= params['timeout']:
            module.fail_json(msg='The DataNodes %s still answer %ss after the shutdown request: look at their logs'
                                 % (', '.join(left), params['timeout']), **result)
        sleep(params['poll_interval'])
    result['waited'] = round(clock() - start, 1)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
