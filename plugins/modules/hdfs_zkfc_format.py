#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_zkfc_format
short_description: Create the ZooKeeper znode of an HA nameservice's failover controllers, once
version_added: 0.1.0
description:
  - The failover controllers (ZKFC) of an HA nameservice elect the active NameNode through a znode,
    C(<parent_znode>/<nameservice>). This module creates it with C(hdfs zkfc -formatZK -nonInteractive) when it
    is missing, and does nothing when it exists; it never deletes or recreates it (no C(-force)).
  - It asks ZooKeeper itself whether the znode exists, so check mode tells what a run would do.
  - Run it on a NameNode host of the nameservice (the failover controller finds its NameNode in the local
    configuration), as the HDFS service user.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  nameservice:
    description:
      - The nameservice (C(dfs.nameservices)).
    type: str
    required: true
  zookeeper_quorum:
    description:
      - The ZooKeeper servers as C(host:port), the value of C(ha.zookeeper.quorum).
    type: list
    elements: str
    required: true
  parent_znode:
    description:
      - The value of C(ha.zookeeper.parent-znode).
    type: str
    default: /hadoop-ha
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Create the failover controllers' znode
  datafleet.hadoop.hdfs_zkfc_format:
    nameservice: analytics
    zookeeper_quorum:
      - master1.example.com:2181
      - master2.example.com:2181
      - master3.example.com:2181
  become: true
  become_user: hdfs
  run_once: true
'''

RETURN = r'''
znode:
  description: The nameservice's znode.
  returned: always
  type: str
  sample: /hadoop-ha/analytics
created:
  description: Whether the znode was created in this run (or would be, in check mode).
  returned: success
  type: bool
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec, last_lines
from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import ZNodeClient, ZooKeeperError

# DFSZKFailoverController's exit code when the znode exists and may not be replaced.
_FORMAT_DENIED = 2


def znode_exists(servers, path):
    with ZNodeClient(servers) as client:
        return client.exists(path)


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(
        nameservice=dict(type='str', required=True),
        zookeeper_quorum=dict(type='list', elements='str', required=True),
        parent_znode=dict(type='str', default='/hadoop-ha'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    znode = '%s/%s' % (params['parent_znode'].rstrip('/'), params['nameservice'])
    try:
        if znode_exists(params['zookeeper_quorum'], znode):
            module.exit_json(changed=False, created=False, znode=znode)
    except ZooKeeperError as e:
        module.fail_json(msg='cannot tell whether %s exists: %s. Start the ZooKeeper ensemble (and check '
                             'ha.zookeeper.quorum)' % (znode, e), znode=znode)
    diff = {'before': {'znode': None}, 'after': {'znode': znode}}
    if module.check_mode:
        module.exit_json(changed=True, created=True, znode=znode, diff=diff)
    rc, out, err = HadoopCli(module).run('zkfc', ['-formatZK', '-nonInteractive'], check_rc=False)
    if rc == _FORMAT_DENIED:
        # Another failover controller created it since the check above.
        module.exit_json(changed=False, created=False, znode=znode)
    if rc != 0:
        module.fail_json(msg='zkfc -formatZK failed with exit code %s: %s' % (rc, last_lines(err or out)),
                         rc=rc, znode=znode)
    try:
        if not znode_exists(params['zookeeper_quorum'], znode):
            module.fail_json(msg='zkfc -formatZK succeeded but %s does not exist; check ha.zookeeper.quorum and '
                                 'ha.zookeeper.parent-znode in hdfs-site.xml and core-site.xml' % znode, znode=znode)
    except ZooKeeperError as e:
        module.fail_json(msg='cannot confirm %s: %s' % (znode, e), znode=znode)
    module.exit_json(changed=True, created=True, znode=znode, diff=diff)


if __name__ == '__main__':
    main()
