#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_balancer
short_description: Run the HDFS balancer with a bandwidth limit and a threshold, and report what it moved
version_added: 0.1.0
description:
  - Sets the DataNodes' balancing bandwidth at run time (C(dfsadmin -setBalancerBandwidth)) when
    O(bandwidth) is given, then runs the balancer until every DataNode's use is within O(threshold)
    percent of the cluster's average, or until it can move nothing more.
  - Returns each iteration the balancer reported (bytes moved, bytes left to move) and how it ended.
  - Only one balancer runs per cluster; a second one ends at once with C(ALREADY_RUNNING), which this
    module reports without failing.
  - Reports RV(ignore:changed) when the balancer moved data, and no change when it moved nothing
    (the cluster was already balanced, or no block could be moved). Setting O(bandwidth) alone is
    not reported as a change.
  - In check mode it runs nothing, neither the balancer nor C(dfsadmin -setBalancerBandwidth), and
    reports no change.
  - It writes nothing on the host it runs on. Run it as root (C(become=true)), as the collection's
    roles do; with simple authentication it acts as the HDFS superuser through O(admin_user).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  threshold:
    description:
      - Percentage of disk use a DataNode may differ from the cluster's average.
    type: float
    default: 10.0
  bandwidth:
    description:
      - Bytes per second each DataNode may use for balancing. Omit to keep the DataNodes' setting.
    type: int
  hosts:
    description:
      - Balance only these DataNodes (C(-include)). Empty balances all.
    type: list
    elements: str
    default: []
  namenode_address:
    description:
      - RPC address (C(hdfs://host:8020)) passed to the tools as C(-fs). Defaults to C(fs.defaultFS).
    type: str
  admin_user:
    description:
      - User the tools act as with simple authentication (E(HADOOP_USER_NAME)); the balancer needs the HDFS
        superuser. A Kerberized cluster ignores it and uses the ticket cache.
    type: str
    default: hdfs
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: partial
    details:
      - In check mode the module runs neither the balancer nor C(dfsadmin -setBalancerBandwidth) and
        reports no change, because what the balancer would move is only known by running it.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  idempotent:
    description: When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: partial
    details:
      - A second run on a cluster the first run balanced moves nothing and reports no change. A run
        reports a change whenever the balancer moved data, which it can do again when the cluster's
        use changed in between or the first run stopped before the cluster was balanced.
notes:
  - The balancer can run for hours on a large cluster; bound it with C(async) in the playbook.
'''

EXAMPLES = r'''
- name: Spread blocks onto new DataNodes at up to 100 MB/s each
  datafleet.hadoop.hdfs_balancer:
    threshold: 5
    bandwidth: 104857600
    admin_user: hdfs
  become: true
  register: balance

- name: Show what moved
  ansible.builtin.debug:
    msg: "{{ balance.status }}: {{ balance.bytes_moved }} moved in {{ balance.iterations | length }} iteration(s)"
'''

RETURN = r'''
status:
  description: How the balancer ended (C(SUCCESS), C(NO_MOVE_PROGRESS), C(ALREADY_RUNNING), ...), or C(NOT_RUN) in check mode.
  returned: success
  type: str
  sample: SUCCESS
balanced:
  description: Whether the balancer ended with the cluster balanced.
  returned: success
  type: bool
iterations:
  description: The balancer's iterations, with bytes already moved, left to move and being moved.
  returned: success
  type: list
  elements: dict
  sample: [{"iteration": 0, "moved": "0 B", "left": "65.91 MB", "being_moved": "73.14 MB"}]
bytes_moved:
  description: Bytes moved over the run, as the last iteration reported them.
  returned: success
  type: str
stdout_lines:
  description: The balancer's report.
  returned: success
  type: list
  elements: str
'''

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec, last_lines

# Balancer exit codes (org.apache.hadoop.hdfs.server.balancer.ExitStatus).
EXIT_STATUS = {0: 'SUCCESS', 1: 'IN_PROGRESS', 255: 'ALREADY_RUNNING', 254: 'NO_MOVE_BLOCK',
               253: 'NO_MOVE_PROGRESS', 252: 'IO_EXCEPTION', 251: 'ILLEGAL_ARGUMENTS', 250: 'INTERRUPTED',
               249: 'UNFINALIZED_UPGRADE'}
_SIZE = r'(\d+(?:\.\d+)?\s*[KMGTPE]?B)'
_ITERATION = re.compile(r'^\S.*?\s+(\d+)\s+%s\s+%s\s+%s\s' % (_SIZE, _SIZE, _SIZE))


def parse_report(text):
    """Iterations and whether the balancer said the cluster is balanced."""
    iterations = []
    for line in text.splitlines():
        match = _ITERATION.match(line)
        if match:
            iterations.append({'iteration': int(match.group(1)), 'moved': match.group(2),
                               'left': match.group(3), 'being_moved': match.group(4)})
    return iterations, 'The cluster is balanced' in text


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(
        threshold=dict(type='float', default=10.0),
        bandwidth=dict(type='int'),
        hosts=dict(type='list', elements='str', default=[]),
        namenode_address=dict(type='str'),
        admin_user=dict(type='str', default='hdfs'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if module.check_mode:
        # What the balancer would move is only known by running it.
        module.exit_json(changed=False, status='NOT_RUN', balanced=False, iterations=[], bytes_moved='0 B',
                         stdout_lines=[])
    cli = HadoopCli(module, params['admin_user'])
    fs = ['-fs', params['namenode_address']] if params['namenode_address'] else []
    if params['bandwidth']:
        cli.run('dfsadmin', fs + ['-setBalancerBandwidth', str(params['bandwidth'])])
    args = ['-threshold', str(params['threshold'])]
    if params['hosts']:
        args += ['-include', ','.join(params['hosts'])]
    rc, out, err = cli.run('balancer', fs + args, check_rc=False)
    status = EXIT_STATUS.get(rc % 256, 'EXIT_%s' % rc)
    iterations, balanced = parse_report(out)
    moved = iterations[-1]['moved'] if iterations else '0 B'
    result = dict(status=status, balanced=balanced or status == 'SUCCESS', iterations=iterations,
                  bytes_moved=moved, stdout_lines=out.splitlines(), changed=not moved.startswith('0 '))
    if status not in ('SUCCESS', 'ALREADY_RUNNING', 'NO_MOVE_PROGRESS', 'NO_MOVE_BLOCK'):
        module.fail_json(msg='the balancer ended with %s: %s' % (status, last_lines(err or out)), rc=rc, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
