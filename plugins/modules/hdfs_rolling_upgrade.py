#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_rolling_upgrade
short_description: Prepare or finalize HDFS's rolling upgrade
version_added: 0.1.0
description:
  - With O(state=prepared), starts HDFS's rolling upgrade (C(hdfs dfsadmin -rollingUpgrade prepare)) unless one is in
    progress - with a single NameNode (one URL in O(namenode_url)) in safe mode, which HDFS requires there and which is
    left again at once - then waits until the NameNodes have saved the image a rollback would return to (C(RollingUpgradeStatus)
    of the active NameNode says C(createdRollbackImages)), the point from which HDFS's documentation lets the
    NameNodes and DataNodes restart on the new version.
  - With O(state=finalized), ends a rolling upgrade in progress (C(hdfs dfsadmin -rollingUpgrade finalize)). After it
    neither a rollback nor a rolling downgrade is possible; the NameNodes drop the rollback image.
  - The state is read from the active NameNode's JMX (C(NameNodeInfo)); the admin tool runs only to change it.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  state:
    description:
      - V(prepared) starts the rolling upgrade and waits for its rollback image; V(finalized) ends it.
    type: str
    choices: [prepared, finalized]
    required: true
  admin_user:
    description:
      - User the admin tool runs as (simple authentication), the HDFS superuser.
    type: str
    default: hdfs
  wait_timeout:
    description:
      - Seconds to wait for the rollback image.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 1
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hadoop_upgrade_info
  - name: HDFS Rolling Upgrade
    description: The procedure this module's states belong to.
    link: https://hadoop.apache.org/docs/stable/hadoop-project-dist/hadoop-hdfs/HdfsRollingUpgrade.html
'''

EXAMPLES = r'''
- name: Start the rolling upgrade and wait for the rollback image
  datafleet.hadoop.hdfs_rolling_upgrade:
    state: prepared
    namenode_url: http://nn1.example.com:9870,http://nn2.example.com:9870

- name: Finalize it once every daemon runs the new version
  datafleet.hadoop.hdfs_rolling_upgrade:
    state: finalized
    namenode_url: http://nn1.example.com:9870,http://nn2.example.com:9870
'''

RETURN = r'''
rolling_upgrade:
  description: The rolling upgrade in progress after the module ran (null once finalized), as the active NameNode
    reports it.
  returned: always
  type: dict
  sample: {"blockPoolId": "BP-448248962-172.18.0.2-1796391013707", "createdRollbackImages": true,
           "startTime": 1796391252977, "finalizeTime": 0}
waited:
  description: Seconds spent waiting for the rollback image.
  returned: always
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec, last_lines
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client, namenode_urls)


def read_status(client):
    return read_namenode_facts(client).get('rolling_upgrade')


def wait_for_rollback_image(client, timeout, interval, clock=time.time, sleep=time.sleep):
    """(status, seconds) once the active NameNode reports the rollback image."""
    start = clock()
    while True:
        # A failover may come in between: ask whichever NameNode is active now.
        getattr(client, 'refresh', lambda: None)()
        try:
            status, error = read_status(client), None
        except HadoopHttpError as e:  # a failover in between
            status, error = None, str(e)
        if status and status.get('createdRollbackImages'):
            return status, clock() - start
        if clock() - start >= timeout:
            raise HadoopHttpError(
                'the NameNodes have not saved the rollback image %ss after the rolling upgrade was prepared (%s). '
                'Check the standby NameNode (it writes the image) and its log, then run again: the upgrade resumes.'
                % (timeout, error or 'status %s' % status))
        sleep(interval)


def prepare_in_safemode(module, cli):
    """Without HA, HDFS prepares a rolling upgrade only in safe mode (it saves
    the rollback image at once): enter it, prepare, and leave it again, also
    when the preparation fails."""
    cli.run('dfsadmin', ['-safemode', 'enter'])
    rc, out, err = cli.run('dfsadmin', ['-rollingUpgrade', 'prepare'], check_rc=False)
    cli.run('dfsadmin', ['-safemode', 'leave'])
    if rc != 0:
        module.fail_json(msg='dfsadmin -rollingUpgrade prepare failed with exit code %s (safe mode was entered for it '
                             'and left again): %s' % (rc, last_lines(err or out)), rc=rc, stdout=out, stderr=err)


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        state=dict(type='str', choices=['prepared', 'finalized'], required=True),
        admin_user=dict(type='str', default='hdfs'),
        wait_timeout=dict(type='int', default=600),
        poll_interval=dict(type='float', default=1),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = namenode_client(params)
    try:
        status = read_status(client)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    prepare = params['state'] == 'prepared'
    changed = (status is None) if prepare else (status is not None)
    diff = {'before': {'rolling_upgrade': 'in progress' if status else 'none'},
            'after': {'rolling_upgrade': 'in progress' if prepare else 'none'}}
    if module.check_mode:
        module.exit_json(changed=changed, rolling_upgrade=status, waited=0.0, diff=diff)
    if changed:
        cli = HadoopCli(module, user=params['admin_user'])
        if prepare and len(namenode_urls(params['namenode_url'])) == 1:
            prepare_in_safemode(module, cli)
        else:
            cli.run('dfsadmin', ['-rollingUpgrade', 'prepare' if prepare else 'finalize'])
    waited = 0.0
    try:
        if prepare:
            status, waited = wait_for_rollback_image(client, params['wait_timeout'], params['poll_interval'])
        else:
            status = read_status(client)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), changed=changed)
    if not prepare and status is not None:
        module.fail_json(msg='the rolling upgrade is still in progress after `dfsadmin -rollingUpgrade finalize`: %s. '
                             'Check the active NameNode\'s log and run again.' % status, changed=changed)
    module.exit_json(changed=changed, rolling_upgrade=status, waited=round(waited, 1), diff=diff)


if __name__ == '__main__':
    main()
