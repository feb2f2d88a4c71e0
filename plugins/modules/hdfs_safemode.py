#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_safemode
short_description: Query, wait for, enter or leave HDFS safe mode
version_added: 0.1.0
description:
  - Reads safe mode from the NameNode's JMX (C(NameNodeInfo.Safemode)).
  - V(wait) polls until the NameNode leaves safe mode by itself (enough blocks reported), without
    forcing it, and fails after O(timeout) seconds with the NameNode's own explanation.
  - V(enter) and V(leave) run C(dfsadmin -safemode enter|leave) only when the state differs,
    since there is no HTTP API for them. Run them as the HDFS superuser.
author:
  - datafleet.hadoop contributors
options:
  state:
    description:
      - V(get) only reads; V(wait) waits until safe mode is off; V(enter) and V(leave) switch it.
    type: str
    choices: [get, wait, enter, leave]
    default: get
  namenode_url:
    description:
      - Base HTTP(S) URL of the NameNode web server.
    type: str
    default: http://localhost:9870
  namenode_address:
    description:
      - RPC address (C(hdfs://host:8020)) passed to dfsadmin as C(-fs). Defaults to C(fs.defaultFS).
    type: str
  wait_timeout:
    description:
      - Seconds to wait with O(state=wait).
    type: int
    default: 300
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: int
    default: 2
extends_documentation_fragment:
  - datafleet.hadoop.http
  - datafleet.hadoop.http.cli
  - datafleet.hadoop.http.actionable
'''

EXAMPLES = r'''
- name: Wait until the NameNode leaves safe mode after a start
  datafleet.hadoop.hdfs_safemode:
    state: wait
    namenode_url: http://nn1.example.com:9870
    wait_timeout: 600

- name: Put HDFS in safe mode before a metadata backup
  datafleet.hadoop.hdfs_safemode:
    state: enter
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
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import NameNodeJmx, safemode_from_info
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, HttpClient, http_argument_spec)


def read_safemode(jmx):
    return safemode_from_info(jmx.bean('NameNodeInfo'))


def wait_until_off(jmx, timeout, interval, clock=time.time, sleep=time.sleep):
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
    argument_spec = http_argument_spec()
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        state=dict(type='str', choices=['get', 'wait', 'enter', 'leave'], default='get'),
        namenode_url=dict(type='str', default='http://localhost:9870'),
        namenode_address=dict(type='str'),
        wait_timeout=dict(type='int', default=300),
        poll_interval=dict(type='int', default=2),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    jmx = NameNodeJmx(HttpClient.from_params(params['namenode_url'], params))
    state = params['state']
    try:
        if state == 'wait':
            mode, waited = wait_until_off(jmx, params['wait_timeout'], params['poll_interval'])
            module.exit_json(changed=False, safemode=mode, waited=round(waited, 1))
        mode = read_safemode(jmx)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))

    want_on = state == 'enter'
    if state == 'get' or mode['on'] == want_on:
        module.exit_json(changed=False, safemode=mode, waited=0.0)
    diff = {'before': {'on': mode['on']}, 'after': {'on': want_on}}
    if module.check_mode:
        module.exit_json(changed=True, safemode={'on': want_on, 'message': ''}, waited=0.0, diff=diff)
    args = ['-safemode', state]
    if params['namenode_address']:
        args = ['-fs', params['namenode_address']] + args
    HadoopCli(module).run('dfsadmin', args)
    try:
        mode = read_safemode(jmx)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=True, safemode=mode, waited=0.0, diff=diff)


if __name__ == '__main__':
    main()
