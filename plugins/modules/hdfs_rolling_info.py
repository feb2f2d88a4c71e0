#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_rolling_info
short_description: Plan a rolling restart of DataNodes, or wait until a restarted batch is back
version_added: 0.1.0
description:
  - With O(hosts), plans the rolling restart of these DataNodes from what the NameNode reports (JMX) and a
    files-only fsck listing of C(/). Batches are one rack at a time when fsck counts two racks or more, no
    block is mis-replicated and every file with blocks has two replicas or more; otherwise fewer hosts than
    the lowest replication factor in use (one host for replication 2 or 3), or O(batch_size) hosts. Hosts of
    O(hosts) that the NameNode already counts dead form the first batch. Files with replication 1 get a
    warning.
  - The plan fails, before any DataNode stops, when HDFS has missing blocks, blocks with a corrupt replica
    beyond the allowed ones (the same allowance as the gate's, below), is in safe mode, or an in-service
    DataNode that is not among O(hosts) is dead at the NameNode or has sent it no heartbeat for 30 seconds (a
    stopped DataNode stays live at the NameNode for minutes).
  - Allowed are the under-replicated blocks of files open for write (copied once their writer closes them)
    and the blocks whose corrupt replica HDFS cannot replace because every live DataNode already holds a
    replica of the block (two DataNodes with replication 2, say). Such a block whose live replicas one batch
    holds gets a warning, since it is unreadable while that batch restarts.
  - With O(batch), waits until that batch is back (the gate between two batches) - every host of it live and
    in service at the NameNode, no missing block, no block with a corrupt replica beyond the allowed ones,
    under-replicated blocks at O(baseline) or fewer (plus the allowed ones), every in-service DataNode heard
    from in the last 10 seconds - and fails at once on
    missing blocks or an in-service DataNode outside the batch dead or silent for 30 seconds, or after
    O(timeout) seconds, naming what it saw. A corrupt replica is waited for, not failed on (a
    DataNode restarted while a client wrote through it reports a replica of the old generation, which the
    NameNode deletes and copies again), unless it is one of the allowed ones above.
  - It only reads; the restart itself is M(datafleet.hadoop.hdfs_datanode_shutdown) and a start of the unit.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  hosts:
    description:
      - DataNodes to restart, host names as the NameNode lists them. Plans their batches.
    type: list
    elements: str
  batch_size:
    description:
      - Hosts per batch. V(0) derives it (racks, lowest replication).
    type: int
    default: 0
  batch:
    description:
      - A batch just restarted, to wait for until it is back.
    type: list
    elements: str
  baseline:
    description:
      - Under-replicated blocks the NameNode counted before O(batch) stopped.
    type: int
    default: 0
  timeout:
    description:
      - Seconds to wait for O(batch).
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 0.5
  user:
    description:
      - User fsck runs as (simple authentication), the HDFS superuser so that it sees every file.
    type: str
    default: hdfs
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.attributes.info
seealso:
  - module: datafleet.hadoop.hdfs_datanode_shutdown
'''

EXAMPLES = r'''
- name: Plan the restart of three DataNodes
  datafleet.hadoop.hdfs_rolling_info:
    namenode_url: http://nn1.example.com:9870
    hosts: [worker1.example.com, worker2.example.com, worker3.example.com]
  register: rolling

- name: Wait until the first batch is back
  datafleet.hadoop.hdfs_rolling_info:
    namenode_url: http://nn1.example.com:9870
    batch: "{{ rolling.batches[0] }}"
    baseline: "{{ rolling.under_replicated }}"
'''

RETURN = r'''
batches:
  description: The hosts of O(hosts) in batches, in restart order.
  returned: with O(hosts)
  type: list
  elements: list
  sample: [["worker1.example.com"], ["worker2.example.com"]]
rule:
  description: How the batches were chosen.
  returned: with O(hosts)
  type: str
  sample: 1 host(s) at a time (lowest replication 3, of /data/a.csv)
lowest_replication:
  description: The lowest replication factor of a file with blocks (0 when no file has blocks).
  returned: with O(hosts)
  type: int
lowest_replication_path:
  description: A file with that replication factor (null when no file has blocks).
  returned: with O(hosts)
  type: str
racks:
  description: Racks fsck counts.
  returned: with O(hosts)
  type: int
under_replicated:
  description: Under-replicated blocks the NameNode counts now.
  returned: always
  type: int
waited:
  description: Seconds spent waiting for O(batch).
  returned: with O(batch)
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import Fsck
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._rolling import corrupt_allowance, plan, wait_for_batch

# Bound here so that tests can replace them.
clock = time.time
sleep = time.sleep


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(
        hosts=dict(type='list', elements='str'),
        batch_size=dict(type='int', default=0),
        batch=dict(type='list', elements='str'),
        baseline=dict(type='int', default=0),
        timeout=dict(type='int', default=600),
        poll_interval=dict(type='float', default=0.5),
        user=dict(type='str', default='hdfs'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_one_of=[('hosts', 'batch')], mutually_exclusive=[('hosts', 'batch')])
    params = module.params
    if params['batch_size'] < 0:
        module.fail_json(msg='batch_size must be 0 (derived) or more, got %s' % params['batch_size'])
    client = namenode_client(params)
    fsck = Fsck(client, params['user'])
    try:
        if params['batch'] is not None:
            facts, waited = wait_for_batch(client, fsck, params['batch'], params['baseline'], params['timeout'],
                                           params['poll_interval'], clock, sleep)
            module.exit_json(changed=False, waited=round(waited, 1),
                             under_replicated=facts['blocks'].get('under_replicated') or 0)
        facts = read_namenode_facts(client)
        listing = fsck.report('/')
        allowed, stuck = corrupt_allowance(facts, fsck, listing)
    except (HadoopHttpError, ValueError) as e:
        module.fail_json(msg=str(e))
    result = plan(facts, listing, params['hosts'], params['batch_size'], allowed, stuck)
    problems = result.pop('problems')
    for warning in result.pop('warnings'):
        module.warn(warning)
    if problems:
        message = 'Refusing to restart the DataNodes %s: %s' % (', '.join(params['hosts']), ' Also: '.join(problems))
        module.fail_json(msg=message, **result)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
