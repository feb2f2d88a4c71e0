#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_namenode_reconfig
short_description: Change NameNode settings at run time, and put them back, without a restart
version_added: 0.1.0
description:
  - Writes O(properties) to a runtime file that the NameNode's C(hdfs-site.xml) includes last (the
    datafleet.hadoop.hadoop role renders that include), then runs C(dfsadmin -reconfig namenode ADDRESS start)
    and waits for the task to finish. Only properties the NameNode lists as reconfigurable change this way,
    for example the replication limits C(dfs.namenode.replication.max-streams),
    C(dfs.namenode.replication.max-streams-hard-limit) and
    C(dfs.namenode.replication.work.multiplier.per.iteration).
  - O(state=absent) removes the runtime file and reconfigures again, so the values of C(hdfs-site.xml)
    apply. The values the NameNode had before the first change are kept next to the runtime file and
    checked after the restore.
  - Idempotent against the running NameNode. It compares the values the NameNode serves on C(/conf), so a
    run interrupted between writing the file and reconfiguring is completed by the next run.
  - Run it on the NameNode host (the file is local), once per NameNode.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  properties:
    description:
      - Property names and values wanted at run time, with O(state=present).
    type: dict
    default: {}
  state:
    description:
      - V(present) applies O(properties); V(absent) returns to the configuration files' values.
    type: str
    choices: [present, absent]
    default: present
  runtime_file:
    description:
      - The file C(hdfs-site.xml) includes.
    type: path
    default: /etc/hadoop/conf/hdfs-site.runtime.xml
  file_group:
    description:
      - Group of the runtime file when it is created.
    type: str
  namenode_address:
    description:
      - RPC address (C(host:port)) of the NameNode, as C(dfsadmin -reconfig) takes it.
    type: str
    required: true
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)). A Kerberized cluster
        ignores it and uses the ticket cache.
    type: str
    default: hdfs
  reconfig_timeout:
    description:
      - Seconds to wait for the reconfiguration task to finish.
    type: int
    default: 120
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hdfs_datanode_admin
'''

EXAMPLES = r'''
- name: Let DataNodes drain faster while they are decommissioned
  datafleet.hadoop.hdfs_namenode_reconfig:
    namenode_address: nn1.example.com:8020
    properties:
      dfs.namenode.replication.max-streams: 20
      dfs.namenode.replication.max-streams-hard-limit: 40
      dfs.namenode.replication.work.multiplier.per.iteration: 10

- name: Put the limits back
  datafleet.hadoop.hdfs_namenode_reconfig:
    namenode_address: nn1.example.com:8020
    state: absent
'''

RETURN = r'''
before:
  description: Values the NameNode served before the run, per property involved.
  returned: always
  type: dict
  sample: {"dfs.namenode.replication.max-streams": "2"}
after:
  description: Values the NameNode serves after the run (in check mode, the values it would serve).
  returned: always
  type: dict
  sample: {"dfs.namenode.replication.max-streams": "20"}
reconfigured:
  description: The changes the NameNode reported, as property, from and to.
  returned: always
  type: list
  elements: dict
'''

import json
import os
from xml.etree import ElementTree

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils import _reconfig
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._config import (
    ConfigValueError, to_hadoop_xml, validate_config)
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import read_text, write_text


def served_values(client, names):
    """The values the running NameNode holds (its /conf servlet), None when unset."""
    values = {}
    for name in names:
        body = client.request('GET', '/conf', query={'name': name}).body
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            raise HadoopHttpError('the NameNode /conf servlet did not answer XML for %s' % name)
        node = root.find('property/value')
        values[name] = node.text if node is not None else None
    return values


def reconfigure(module, cli, address, timeout):
    try:
        changed, failed = _reconfig.reconfigure(cli, 'namenode', address, timeout)
    except _reconfig.ReconfigError as e:
        module.fail_json(msg=str(e))
    if failed:
        module.fail_json(msg='the NameNode %s refused to change %s' % (
            address, '; '.join('%s: %s' % f for f in failed)), reconfigured=changed)
    return changed


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        properties=dict(type='dict', default={}),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        runtime_file=dict(type='path', default='/etc/hadoop/conf/hdfs-site.runtime.xml'),
        file_group=dict(type='str'),
        namenode_address=dict(type='str', required=True),
        admin_user=dict(type='str', default='hdfs'),
        reconfig_timeout=dict(type='int', default=120),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = namenode_client(params)
    baseline_file = params['runtime_file'] + '.baseline.json'
    try:
        wanted = validate_config(params['properties'], 'properties') if params['state'] == 'present' else {}
        current_text = read_text(params['runtime_file'])
        baseline_text = read_text(baseline_file)
        baseline = json.loads(baseline_text) if baseline_text else {}
        names = sorted(set(wanted) | set(baseline))
        before = served_values(client, names)
    except ConfigValueError as e:
        module.fail_json(msg=str(e))
    except ValueError as e:
        module.fail_json(msg='%s is not JSON: %s' % (baseline_file, e))
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))

    if params['state'] == 'present':
        text = to_hadoop_xml(wanted, 'properties', 'Set at run time by datafleet.hadoop.hdfs_namenode_reconfig')
        file_differs = text != current_text
        expected = dict(wanted)
    else:
        text = None
        file_differs = current_text is not None
        expected = baseline
    values_differ = any(before.get(k) != v for k, v in expected.items())
    result = dict(changed=file_differs or values_differ, before=before, after=dict(before, **expected), reconfigured=[])
    if module._diff and result['changed']:
        result['diff'] = {'before': before, 'after': result['after']}
    if not result['changed'] or module.check_mode:
        module.exit_json(**result)

    # The values to come back to are recorded once, before the first change.
    if params['state'] == 'present' and baseline_text is None:
        write_text(module, baseline_file, json.dumps(dict((k, before.get(k)) for k in wanted), sort_keys=True) + '\n',
                   group=params['file_group'])
    if params['state'] == 'present':
        write_text(module, params['runtime_file'], text, group=params['file_group'])
    elif current_text is not None:
        os.unlink(params['runtime_file'])
    cli = HadoopCli(module, params['admin_user'])
    result['reconfigured'] = reconfigure(module, cli, params['namenode_address'], params['reconfig_timeout'])
    try:
        after = served_values(client, sorted(expected))
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), **result)
    wrong = dict((k, after.get(k)) for k, v in expected.items() if after.get(k) != v)
    if wrong:
        module.fail_json(msg='after the reconfiguration the NameNode %s serves %s, not %s; is the runtime file '
                             'included by its hdfs-site.xml?' % (params['namenode_address'], wrong, expected), **result)
    if params['state'] == 'absent' and baseline_text is not None:
        os.unlink(baseline_file)
    result['after'] = dict(before, **after)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
