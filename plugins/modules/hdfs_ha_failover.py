#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_ha_failover
short_description: Make a named NameNode of an HA nameservice the active one, gracefully
version_added: 0.1.0
description:
  - Hands the active role to the NameNode O(active) with C(hdfs haadmin -failover), which with automatic failover
    goes through the failover controllers (ZKFC); the active NameNode steps down cleanly and the target takes
    over, with no fencing needed.
  - Does nothing when O(active) is already the active NameNode.
  - Refuses, without changing anything, when O(active) does not answer or is not a standby, when the nameservice
    does not have exactly one active NameNode, and when, after waiting O(catch_up_timeout) seconds, O(active) is
    still more than O(max_lag) transactions short of what the active one had written when the module first asked
    it, or still in safe mode (a NameNode that has just started stays in safe mode until the DataNodes have
    reported enough blocks; made active then, it would leave HDFS read-only).
  - The mark is fixed when the wait starts because, while clients write, the active NameNode's last transaction
    moves on and a standby that tails the JournalNodes is always a few transactions behind it. The failover itself
    makes the new active NameNode read every remaining transaction before it serves.
  - Waits until O(active) reports itself active.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  namenodes:
    description:
      - Every NameNode of the nameservice, its id (C(hdfs_namenode_id), as in C(dfs.ha.namenodes.<nameservice>))
        mapped to its web server's URL.
    type: dict
    required: true
  active:
    description:
      - The id of the NameNode to make active.
    type: str
    required: true
  nameservice:
    description:
      - The nameservice, for clusters whose configuration lists several (C(haadmin -ns)).
    type: str
  max_lag:
    description:
      - How many transactions O(active) may be short of the last one the active NameNode had written when the wait
        started.
    type: int
    default: 0
  catch_up_timeout:
    description:
      - Seconds to wait for O(active) to be within O(max_lag) before refusing.
    type: int
    default: 60
  failover_timeout:
    description:
      - Seconds to wait, after the failover command, for O(active) to report itself active.
    type: int
    default: 60
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Make nn2 the active NameNode
  datafleet.hadoop.hdfs_ha_failover:
    namenodes:
      nn1: http://master1.example.com:9870
      nn2: http://master2.example.com:9870
    active: nn2
  become: true
  become_user: hdfs
'''

RETURN = r'''
before:
  description: Each NameNode's HA state before the run (null when it did not answer).
  returned: always
  type: dict
  sample: {"nn1": "active", "nn2": "standby"}
after:
  description: Each NameNode's HA state after the run.
  returned: success
  type: dict
  sample: {"nn1": "standby", "nn2": "active"}
lag:
  description: How many transactions O(active) was behind the active NameNode when the module first asked them.
  returned: when a failover was needed
  type: int
seconds:
  description: Seconds from the failover command to O(active) reporting itself active.
  returned: when the failover ran
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import http_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import nameservice_members

_POLL = 1


def read(namenodes, params):
    """{id: member} with the states and transaction ids of every NameNode."""
    ids = sorted(namenodes)
    members = nameservice_members([namenodes[i] for i in ids], params)
    return dict(zip(ids, members))


def states(members):
    return dict((nn_id, member['state']) for nn_id, member in members.items())


def check(members, target):
    """(current active id, the target's last transaction, the active's), or ValueError naming a problem that
    waiting does not mend."""
    if target not in members:
        raise ValueError('%s is not a NameNode of the nameservice (%s)' % (target, ', '.join(sorted(members))))
    found = states(members)
    if found[target] is None:
        raise ValueError('%s does not answer (%s); start it and wait until it runs as standby'
                         % (target, members[target].get('error', 'no answer')))
    actives = sorted(nn_id for nn_id, state in found.items() if state == 'active')
    if len(actives) != 1:
        raise ValueError('the nameservice has %s active NameNode(s) (%s); automatic failover elects one: check the '
                         'failover controllers (ZKFC) and ZooKeeper, and wait'
                         % (len(actives), ', '.join('%s: %s' % (i, s) for i, s in sorted(found.items()))))
    if found[target] != 'standby':
        raise ValueError('%s is %s, not standby; only a standby can take over' % (target, found[target]))
    active = actives[0]
    return active, members[target]['last_txid'], members[active]['last_txid']


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(http_argument_spec())
    argument_spec.update(
        namenodes=dict(type='dict', required=True),
        active=dict(type='str', required=True),
        nameservice=dict(type='str'),
        max_lag=dict(type='int', default=0),
        catch_up_timeout=dict(type='int', default=60),
        failover_timeout=dict(type='int', default=60),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    target, namenodes = params['active'], params['namenodes']
    members = read(namenodes, params)
    before = states(members)
    if before.get(target) == 'active':
        module.exit_json(changed=False, before=before, after=before)
    deadline = time.time() + params['catch_up_timeout']
    # The active NameNode and the transaction it had written when first asked: the mark the target must reach.
    marked = mark = lag = None
    while True:
        try:
            active, mine, theirs = check(members, target)
        except ValueError as e:
            module.fail_json(msg='refusing to fail over: %s' % e, before=before)
        if active != marked or mark is None:
            marked, mark = active, theirs
            lag = mark - mine if mark is not None and mine is not None else None
        short = mark - mine if mark is not None and mine is not None else None
        safemode = members[target].get('safemode')
        if short is not None and short <= params['max_lag'] and safemode == '':
            break
        if time.time() >= deadline and safemode:
            module.fail_json(msg='refusing to fail over: %s is in safe mode after %d s (%s); made active it would '
                                 'leave HDFS read-only: wait until the DataNodes have reported their blocks to it '
                                 '(its web UI, %s, shows the progress), then run again'
                                 % (target, params['catch_up_timeout'], ' '.join(safemode.split()),
                                    namenodes[target]), before=before, lag=lag)
        if time.time() >= deadline:
            module.fail_json(msg='refusing to fail over: %s is still %s transactions short of transaction %s, the '
                                 'last %s had written when asked %d s ago (at most %d allowed); it is not catching '
                                 'up: check its log and the JournalNodes'
                                 % (target, short if short is not None else 'an unknown number of', mark, active,
                                    params['catch_up_timeout'], params['max_lag']), before=before, lag=lag)
        time.sleep(_POLL)
        members = read(namenodes, params)
    diff = {'before': {'active': active}, 'after': {'active': target}}
    if module.check_mode:
        module.exit_json(changed=True, before=before, after=before, lag=lag, diff=diff)
    args = ['-failover', active, target]
    if params['nameservice']:
        args = ['-ns', params['nameservice']] + args
    started = time.time()
    HadoopCli(module).run('haadmin', args)
    while True:
        after = states(read(namenodes, params))
        if after.get(target) == 'active':
            break
        if time.time() - started >= params['failover_timeout']:
            module.fail_json(msg='haadmin -failover succeeded but %s is not active after %d s: %s'
                                 % (target, params['failover_timeout'], after), before=before, after=after)
        time.sleep(_POLL)
    module.exit_json(changed=True, before=before, after=after, lag=lag, seconds=round(time.time() - started, 1),
                     diff=diff)


if __name__ == '__main__':
    main()
