#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: yarn_info
short_description: Read the state of a YARN cluster from a ResourceManager
version_added: 0.1.0
description:
  - Reads the ResourceManager REST API (C(/ws/v1/cluster/info), C(/metrics), C(/nodes)) and
    returns NodeManager counts by state, every NodeManager with its state, application counts,
    resources, version and HA state.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  resourcemanager_url:
    description:
      - Base HTTP(S) URL of the ResourceManager web server. A standby ResourceManager
        redirects most calls to the active one.
    type: str
    default: http://localhost:8088
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Read YARN state
  datafleet.hadoop.yarn_info:
    resourcemanager_url: http://rm1.example.com:8088
  register: yarn

- name: Show NodeManagers that are not running
  ansible.builtin.debug:
    msg: "{{ yarn.yarn.node_list | rejectattr('state', 'eq', 'RUNNING') | map(attribute='host') }}"
'''

RETURN = r'''
yarn:
  description: State of the cluster as the ResourceManager reports it.
  returned: success
  type: dict
  contains:
    cluster_id:
      description: ResourceManager cluster ID.
      type: int
    ha_state:
      description: HA state of the ResourceManager answering (V(ACTIVE), V(STANDBY)).
      type: str
      sample: ACTIVE
    resourcemanagers:
      description:
        - Every ResourceManager of O(resourcemanager_url) with its HA state (V(ACTIVE), V(STANDBY); null when it
          does not answer) and C(address), the URL the module reached it at (its HTTPS address when the web
          endpoints are HTTPS only, see O(conf_dir)).
      type: list
      elements: dict
      sample: [{"url": "http://rm1.example.com:8088", "state": "ACTIVE", "address": "http://rm1.example.com:8088"}]
    state:
      description: Service state (V(STARTED)).
      type: str
    version:
      description: Hadoop version of the ResourceManager.
      type: str
      sample: 3.5.0
    nodes:
      description: NodeManager counts (active, decommissioning, decommissioned, lost, unhealthy, rebooted, shutdown, total).
      type: dict
    apps:
      description: Application counts (running, pending, completed, failed, killed).
      type: dict
    memory_mb:
      description: Cluster memory in MB (total, available, allocated).
      type: dict
    vcores:
      description: Cluster virtual cores (total, available, allocated).
      type: dict
    node_list:
      description:
        - Every NodeManager the ResourceManager knows, in any state, with host, state, rack, containers and resources.
        - C(memory_mb) and C(vcores) are the NodeManager's whole resources (also of a LOST node), C(used_*) and
          C(available_*) their use.
      type: list
      elements: dict
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, HttpClient, http_argument_spec, namenode_urls, resourcemanager_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._secure import for_params as secured_client
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import read_resourcemanager_facts


def main():
    argument_spec = http_argument_spec()
    argument_spec.update(resourcemanager_url=dict(type='str', default='http://localhost:8088'))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = resourcemanager_client(module.params)
    urls = namenode_urls(module.params['resourcemanager_url'])
    members = [{'url': url, 'state': ha_state(url, module.params)} for url in urls] if len(urls) > 1 else []
    try:
        facts = read_resourcemanager_facts(client)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), resourcemanagers=members)
    facts['resourcemanagers'] = members or [{'url': urls[0] if urls else client.base_url, 'state': facts['ha_state']}]
    security = secured_client(module.params, 'yarn')[0]
    for member in facts['resourcemanagers']:
        member['address'] = security.url(member['url'])
    module.exit_json(changed=False, yarn=facts)


def ha_state(url, params):
    try:
        info = HttpClient.from_params(url, params).get_json('/ws/v1/cluster/info').get('clusterInfo') or {}
    except HadoopHttpError:
        return None
    return info.get('haState')


if __name__ == '__main__':
    main()
