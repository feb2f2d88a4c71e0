# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cluster
short_description: A Hadoop cluster from one topology file
version_added: 0.1.0
description:
  - Reads a YAML topology file, marked by its O(plugin) key, that describes a cluster once, with its name,
    versions, profiles (node types mapped to services), hosts with range patterns, racks, and configuration and
    variables per cluster, per profile and per host.
  - Produces the groups and variables the collection's roles read. One group per service (C(namenodes),
    C(datanodes), C(resourcemanagers), C(nodemanagers), C(historyservers), C(spark_historyservers),
    C(spark_clients), C(journalnodes), C(zookeepers); renamed with O(group_names)), one group per profile, and
    the cluster group (O(cluster_group)) holding both.
  - Variables. The C(all) group gets the cluster-wide ones, as C(group_vars/all) would, so the control-plane
    plays on the controller see them too (one cluster per inventory) -- C(hadoop_cluster_name),
    C(hadoop_version)/C(spark_version), the C(hadoop_*_group) names, the single-host endpoints
    (C(hadoop_namenode_host), C(hadoop_resourcemanager_host), C(hadoop_historyserver_host), C(spark_history_host)),
    C(cluster.config) as C(hadoop_hdfs_site) and the other files, and C(cluster.vars). A profile group gets its
    C(config) as C(hadoop_hdfs_site_group) and so on, and its C(vars). A host gets C(hadoop_profile),
    C(hadoop_rack), its ids (C(zookeeper_myid); C(hdfs_namenode_id) and C(yarn_resourcemanager_id) with HA), its
    C(config) as C(hadoop_hdfs_site_host) and so on, and its C(vars).
    Host variables beat profile variables, which beat cluster variables.
  - The whole file is validated first; every problem is reported at once, each naming the entry or host and the
    fix. Nothing is added to the inventory from a file with problems.
  - Ids are stable. A host's id is its entry's O(hosts) C(id), or else the last number in the first label of its
    name (C(zk03.example.com) is 3), so adding or removing hosts never renumbers the others.
  - The file name must end in C(.yml) or C(.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; it marks the file as a cluster topology.
    required: true
    type: str
    choices: [datafleet.hadoop.cluster]
  cluster:
    description:
      - The cluster as a whole. C(name) (required, letters, digits, C(.), C(_), C(-)).
      - C(versions) maps C(hadoop), C(spark) and C(zookeeper) to quoted version strings.
      - C(high_availability) has C(hdfs) and C(yarn), each true or false (default false).
      - C(config) maps C(core_site), C(hdfs_site), C(yarn_site), C(mapred_site), C(capacity_scheduler) and
        C(spark_defaults) to properties.
      - C(vars) holds any other variables, connection variables included.
      - C(allow_colocation) lists pairs of services that may share a host despite the rules (for example
        C([[namenode, datanode]])).
    type: dict
    required: true
  profiles:
    description:
      - Node types, by name. Each has C(services) (a list from C(namenode), C(datanode), C(journalnode),
        C(resourcemanager), C(nodemanager), C(historyserver), C(spark_history), C(spark_client),
        C(zookeeper)), and optionally C(config), C(vars) and C(description).
      - Each profile becomes a group of the same name (with O(profile_group_prefix) in front).
    type: dict
    required: true
  hosts:
    description:
      - Host names or patterns with ranges (C(worker[01:40].example.com), C(edge[a:c]), C(node[1:9:2])), each
        mapped to its settings. C(profile) (required), C(services) (added to the profile's), C(rack) (a path like
        C(/dc1/rack1)), C(id) (1 to 255, for one host), C(config) and C(vars).
    type: dict
    required: true
  racks:
    description:
      - Rack paths, each mapped to a list of host names or patterns; the same as C(rack) on the host entries, for
        files that keep racks apart. A host in no rack stays in C(/default-rack).
    type: dict
    default: {}
  group_names:
    description:
      - Group names to use instead of the defaults, by service (for example C(datanode) to C(hdfs_workers)). The
        matching C(hadoop_*_group) variables are set so the roles follow. The collection's playbooks pick their
        hosts before inventory variables apply, so pass the same names to them as extra vars
        (C(-e hadoop_datanode_group=hdfs_workers)).
    type: dict
    default: {}
  cluster_group:
    description: The group holding every host of the cluster (C(hadoop_cluster_group)).
    type: str
    default: hadoop
  profile_group_prefix:
    description: Put in front of each profile name to make its group name.
    type: str
    default: ''
"""

EXAMPLES = r"""
# inventories/prod/cluster.yml
plugin: datafleet.hadoop.cluster
cluster:
  name: prod1
  versions:
    hadoop: "3.5.0"
    spark: "4.3.0"
  config:
    hdfs_site:
      dfs.replication: 3
  vars:
    ansible_user: deploy
    ansible_become: true
profiles:
  master:
    services: [namenode, resourcemanager, historyserver, spark_history]
  worker:
    services: [datanode, nodemanager]
    config:
      yarn_site:
        yarn.nodemanager.resource.memory-mb: 98304
  edge:
    services: [spark_client]
racks:
  /dc1/rack1: ["worker[01:20].dc1.example.com"]
  /dc1/rack2: ["worker[21:40].dc1.example.com"]
hosts:
  master1.dc1.example.com:
    profile: master
  "worker[01:40].dc1.example.com":
    profile: worker
  worker07.dc1.example.com:
    profile: worker
    config:
      yarn_site:
        yarn.nodemanager.resource.memory-mb: 49152
  edge1.dc1.example.com:
    profile: edge
# constructed features work on every host
keyed_groups:
  - key: hadoop_rack
    prefix: rack
compose:
  ansible_host: inventory_hostname.split('.')[0]
"""

import hashlib

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible.utils.vars import combine_vars

from ansible_collections.datafleet.hadoop.plugins.plugin_utils._inventory import DatafleetInventory
from ansible_collections.datafleet.hadoop.plugins.plugin_utils._topology import Topology, TopologyError

_SECTIONS = ('cluster', 'profiles', 'racks', 'hosts')


class InventoryModule(DatafleetInventory):

    NAME = 'datafleet.hadoop.cluster'

    def _layout(self, config, path):
        """The groups and host variables of the topology, as plain data (what the cache keeps)."""
        try:
            topology = Topology(
                dict((k, config.get(k)) for k in _SECTIONS if k in config), source=path,
                group_names=self.get_option('group_names'), cluster_group=self.get_option('cluster_group'),
                profile_group_prefix=self.get_option('profile_group_prefix'))
        except TopologyError as e:
            raise AnsibleParserError(to_native(e))
        # Cluster-wide variables go on 'all', as group_vars/all would: the
        # control-plane plays run on the controller's implicit localhost,
        # which sees only the variables of 'all'.
        groups = {'all': {'vars': topology.cluster_vars, 'children': []},
                  topology.cluster_group: {'vars': {}, 'children': []}}
        for service, hosts in topology.service_hosts.items():
            if hosts:
                groups[topology.group_of(service)] = {'vars': {}, 'children': []}
                groups[topology.cluster_group]['children'].append(topology.group_of(service))
        for profile, variables in topology.profile_vars.items():
            groups[topology.profile_group(profile)] = {'vars': variables, 'children': []}
            groups[topology.cluster_group]['children'].append(topology.profile_group(profile))
        hosts = [[name, topology.host_groups(name), topology.host_vars(name)] for name in topology.hosts]
        return {'groups': groups, 'hosts': hosts}

    def _populate(self, layout):
        inventory = self.inventory
        for group, data in layout['groups'].items():
            inventory.add_group(group)
            for key, value in data['vars'].items():
                inventory.set_variable(group, key, value)
        for group, data in layout['groups'].items():
            for child in data['children']:
                inventory.add_child(group, child)
        constructed = self._constructing()
        for name, groups, variables in layout['hosts']:
            inventory.add_host(name)
            for group in groups:
                inventory.add_child(group, name)
            for key, value in variables.items():
                inventory.set_variable(name, key, value)
            if constructed:
                # The host's whole view: cluster, profile, then its own variables.
                host_vars = combine_vars(
                    combine_vars(inventory.groups['all'].get_vars(),
                                 inventory.groups[groups[-1]].get_vars()),
                    inventory.get_host(name).get_vars())
                self._construct(name, host_vars)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        config = self._read_checked_config(path)
        # The key covers the file's content: an edited file is never answered from the cache.
        with open(to_bytes(path, errors='surrogate_or_strict'), 'rb') as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:16]
        cache_key = '%s_%s' % (self.get_cache_key(path), digest)
        self._populate(self._cached(cache_key, cache, lambda: self._layout(config, path)))
