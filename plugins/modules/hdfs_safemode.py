#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_safemode
short_description: Query, wait for, enter or leave HDFS safe mode
version_added: 0.1.0
description:
  - Reads safe mode from the NameNode's JMX (C(NameNodeInfo.Safemode)).
  - Without O(state) it only reads.
  - O(state=left) with O(wait=true) polls until the NameNode leaves safe mode by itself (enough
    blocks reported), without forcing it, and fails after O(wait_timeout) seconds with the
    NameNode's own explanation.
  - O(state=entered), and O(state=left) without O(wait), run C(dfsadmin -safemode enter|leave) when
    the state differs, since there is no HTTP API for them. Run them as the HDFS superuser.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  state:
    description:
      - Safe mode wanted. Omit it to only read.
    type: str
    choices: [entered, left]
  wait:
    description:
      - With O(state=left), wait for the NameNode to leave safe mode by itself instead of forcing it.
    type: bool
    default: false
  namenode_address:
    description:
      - RPC address (C(hdfs://host:8020)) passed to dfsadmin as C(-fs). Defaults to C(fs.defaultFS).
    type: str
  save_namespace:
    description:
      - With O(state=entered), then save the namespace as a new checkpoint (C(dfsadmin -saveNamespace)), so a
        NameNode about to stop has its whole namespace in its image. It saves on every run (changed).
    type: bool
    default: false
    version_added: 0.1.0
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 300
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: int
    default: 2
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Wait until the NameNode leaves safe mode after a start
  datafleet.hadoop.hdfs_safemode:
    state: left
    wait: true
    namenode_url: http://nn1.example.com:9870
    wait_timeout: 600

- name: Put HDFS in safe mode before a metadata backup
  datafleet.hadoop.hdfs_safemode:
    state: entered
  become: true
  become_user: hdfs
'''

RETURN = r'''
safemode:
  description: Safe mode after the run.
  returned: success
  type: dict
  contains:
    "on":
      description: Whether safe mode is on.
      type: bool
    message:
      description: The NameNode's explanation, empty when off.
      type: str
  sample: {"on": false, "message": ""}
waited:
  description: Seconds spent waiting.
  returned: success
  type: float
saved_namespace:
  description: Whether the namespace was saved (O(save_namespace)).
  returned: when the module changed something
  type: bool
  version_added: 0.1.0
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import NameNodeJmx, safemode_from_info
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)


def read_safemode(jmx):
    return safemode_from_info(jmx.bean('NameNodeInfo'))


def wait_until_off(jmx, timeout, interval, clock=None, sleep=None):
    clock = clock or time.time
    sleep = sleep or time.sleep
    start = clock()
    while True:
        try:
            mode = read_safemode(jmx)
            error = None
        except HadoopHttpError as e:  # the NameNode may still be starting
            mode, error = None, str(e)
        if mode is not None and not mode['on']:
            return mode, clock() - start
        if clock() - start >= timeout:
            reason = error or mode['message']
            raise HadoopHttpError('HDFS is still in safe mode after %ss: %s' % (timeout, reason))
        sleep(interval)


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        state=dict(type='str', choices=['entered', 'left']),
        wait=dict(type='bool', default=False),
        namenode_address=dict(type='str'),
        wait_timeout=dict(type='int', default=300),
        poll_interval=dict(type='int', default=2),
        save_namespace=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('save_namespace', True, ['state'])])
    params = module.params
    jmx = NameNodeJmx(namenode_client(params))
    state = params['state']
    try:
        if state == 'left' and params['wait']:
            mode, waited = wait_until_off(jmx, params['wait_timeout'], params['poll_interval'])
            module.exit_json(changed=False, safemode=mode, waited=round(waited, 1))
        mode = read_safemode(jmx)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))

    want_on = state == 'entered'
    save = params['save_namespace'] and want_on
    if state is None or (mode['on'] == want_on and not save):
        module.exit_json(changed=False, safemode=mode, waited=0.0)
    diff = {'before': {'on': mode['on']}, 'after': {'on': want_on}}
    if module.check_mode:
        module.exit_json(changed=True, safemode={'on': want_on, 'message': ''}, waited=0.0, diff=diff,
                         saved_namespace=save)
    fs = ['-fs', params['namenode_address']] if params['namenode_address'] else []
    cli = HadoopCli(module)
    if mode['on'] != want_on:
        cli.run('dfsadmin', fs + ['-safemode', 'enter' if want_on else 'leave'])
    if save:
        cli.run('dfsadmin', fs + ['-saveNamespace'])
    try:
        mode = read_safemode(jmx)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=True, safemode=mode, waited=0.0, diff=diff, saved_namespace=save)


if __name__ == '__main__':
    main()
