#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_info
short_description: Read the state of an HDFS cluster from a NameNode
version_added: 0.1.0
description:
  - Reads the NameNode's JMX beans (C(NameNodeStatus), C(FSNamesystemState), C(FSNamesystem),
    C(NameNodeInfo)) over HTTP or HTTPS and returns them as structured facts.
  - Reports live, dead and decommissioning DataNodes, missing, corrupt and under-replicated
    blocks, capacity, version, cluster ID, safe mode and HA state.
author:
  - datafleet.hadoop maintainers (@datafleet)
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Read HDFS state
  datafleet.hadoop.hdfs_info:
    namenode_url: http://nn1.example.com:9870
  register: hdfs

- name: Fail when blocks are missing
  ansible.builtin.assert:
    that: hdfs.hdfs.blocks.missing == 0
    fail_msg: "{{ hdfs.hdfs.blocks.missing }} blocks are missing; run hdfs fsck / -list-corruptfileblocks"
'''

RETURN = r'''
hdfs:
  description: State of the cluster as the NameNode reports it.
  returned: success
  type: dict
  contains:
    ha_state:
      description: V(active) or V(standby), of the NameNode that answered (the active one with HA).
      type: str
      sample: active
    namenodes:
      description:
        - Every NameNode of O(namenode_url) with its HA state (null when it does not answer) and the last
          transaction it wrote (active) or applied from the JournalNodes (standby), C(lag), how many
          transactions it is behind the active one, C(safemode), its safe mode message (empty when it is
          out of safe mode, null when unknown), and C(address), the URL the module reached it at (its HTTPS
          address when the web endpoints are HTTPS only, see O(conf_dir)).
      type: list
      elements: dict
      sample: [{"url": "http://nn1.example.com:9870", "state": "active", "last_txid": 1042, "lag": 0,
                "safemode": "", "address": "http://nn1.example.com:9870"}]
    cluster_id:
      description: The cluster ID written by the format.
      type: str
      sample: CID-2f9d1f52-0d3e-4a8c-9a6f-4c3b0f3e9d11
    version:
      description: Hadoop version of the NameNode.
      type: str
      sample: 3.5.0
    fs_state:
      description: C(Operational) or C(safeMode).
      type: str
      sample: Operational
    safemode:
      description: Whether safe mode is on, and the NameNode's explanation.
      type: dict
      sample: {"on": false, "message": ""}
    upgrade_finalized:
      description: Whether the last upgrade is finalized.
      type: bool
    rolling_upgrade:
      description: The rolling upgrade in progress, or null.
      type: dict
    capacity:
      description: Bytes in total, used, remaining and used outside HDFS.
      type: dict
    blocks:
      description: Block counts (total, missing, corrupt, under_replicated, low_redundancy, pending_reconstruction).
      type: dict
    files_total:
      description: Files and directories in the namespace.
      type: int
    datanodes:
      description: DataNode counts by state (live, dead, decommissioning, decommissioned_live, in_maintenance_live, ...).
      type: dict
    live_nodes:
      description: Live DataNodes with host, admin_state, capacity, used, blocks, version, last_contact.
      type: list
      elements: dict
    dead_nodes:
      description: Dead DataNodes.
      type: list
      elements: dict
    decommissioning_nodes:
      description: DataNodes being decommissioned, with the blocks still to replicate.
      type: list
      elements: dict
    entering_maintenance_nodes:
      description: DataNodes entering maintenance, with the blocks still to replicate.
      type: list
      elements: dict
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client, namenode_urls)
from ansible_collections.datafleet.hadoop.plugins.module_utils._secure import for_params as secured_client
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import nameservice_members


def main():
    argument_spec = http_argument_spec(namenode=True)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = namenode_client(module.params)
    urls = namenode_urls(module.params['namenode_url'])
    # One NameNode: its state is in the facts; no second round of requests.
    members = nameservice_members(urls, module.params) if len(urls) > 1 else []
    try:
        facts = read_namenode_facts(client)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), namenodes=with_lag(members))
    facts['namenodes'] = with_lag(members) if members else [
        {'url': urls[0] if urls else module.params['namenode_url'], 'state': facts['ha_state'], 'last_txid': None,
         'lag': None, 'safemode': facts['safemode']['message'] if facts['safemode']['on'] else ''}]
    security = secured_client(module.params)[0]
    for member in facts['namenodes']:
        member['address'] = security.url(member['url'])
    module.exit_json(changed=False, hdfs=facts)


def with_lag(members):
    active = [m['last_txid'] for m in members if m['state'] == 'active' and m['last_txid'] is not None]
    for member in members:
        member['lag'] = (active[0] - member['last_txid']) if active and member['last_txid'] is not None else None
    return members


if __name__ == '__main__':
    main()
