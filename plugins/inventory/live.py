# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: live
short_description: Hosts of a running Hadoop cluster grouped by their live state
version_added: 0.1.0
description:
  - Asks the active NameNode (JMX) and the active ResourceManager (REST API) of a running cluster for their
    DataNodes and NodeManagers, and puts each host in groups by state.
  - HDFS groups (with O(hdfs_group_prefix)) C(hdfs_live), C(hdfs_dead), C(hdfs_in_service),
    C(hdfs_decommissioning), C(hdfs_decommissioned), C(hdfs_entering_maintenance), C(hdfs_in_maintenance). A dead
    DataNode that is decommissioned or in maintenance is expected to be down, so it is in that group and not in
    C(hdfs_dead), which holds the DataNodes that need attention.
  - YARN groups (with O(yarn_group_prefix)) C(yarn_running), C(yarn_unhealthy), C(yarn_lost),
    C(yarn_decommissioning), C(yarn_decommissioned), C(yarn_shutdown), C(yarn_new), C(yarn_rebooted).
  - Host variables C(live_hdfs) (state, admin_state, last_contact in seconds, version, capacity, used, remaining,
    used_percent, blocks, failed_volumes, rack) and C(live_yarn) (state, health_report, last_health_update,
    version, containers, memory and vcores used and available, rack).
  - Combined with the datafleet.hadoop.cluster topology (C(-i cluster.yml -i live.yml), or both files in one
    inventory directory, where C(cluster.yml) sorts first), the hosts are the same, so C(--limit hdfs_dead)
    targets exactly the dead DataNodes with all their topology variables. Without O(namenode_urls) and
    O(resourcemanager_urls) the endpoints come from the C(namenodes) and C(resourcemanagers) groups loaded before.
  - With several NameNodes or ResourceManagers (HA) the active one is asked; if none says it is active, the first
    that answers. The masters that answer are grouped by their HA state, C(hdfs_namenode_active),
    C(hdfs_namenode_standby), C(yarn_resourcemanager_active), C(yarn_resourcemanager_standby) (with the prefixes),
    so a play can target the active or the standby master.
  - An endpoint that does not answer is an error naming the URL and the cause; with O(on_unreachable=warn) the
    inventory is empty for that service instead, with a warning, and C(live_inventory_errors) on C(all) lists
    the problems.
  - The file name must end in C(.yml) or C(.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; it marks the file as a live inventory source.
    required: true
    type: str
    choices: [datafleet.hadoop.live]
  namenode_urls:
    description: HTTP(S) addresses of the NameNodes, such as C(https://nn1.example.com:9871).
    type: list
    elements: str
    default: []
  resourcemanager_urls:
    description: HTTP(S) addresses of the ResourceManagers, such as C(http://rm1.example.com:8088).
    type: list
    elements: str
    default: []
  namenode_group:
    description: Group to take the NameNode hosts from when O(namenode_urls) is empty.
    type: str
    default: namenodes
  resourcemanager_group:
    description: Group to take the ResourceManager hosts from when O(resourcemanager_urls) is empty.
    type: str
    default: resourcemanagers
  scheme:
    description: Scheme of the addresses made from the groups.
    type: str
    choices: [http, https]
    default: http
  namenode_port:
    description: NameNode web port of the addresses made from the groups.
    type: int
    default: 9870
  resourcemanager_port:
    description: ResourceManager web port of the addresses made from the groups.
    type: int
    default: 8088
  validate_certs:
    description: Verify the daemons' TLS certificates.
    type: bool
    default: true
  ca_path:
    description: CA bundle to verify the daemons' certificates with.
    type: path
  client_cert:
    description: Client certificate (PEM) for mutual TLS.
    type: path
  client_key:
    description: Key of O(client_cert).
    type: path
  use_gssapi:
    description: Authenticate with SPNEGO (Kerberos), using the controller's ticket cache.
    type: bool
    default: false
  timeout:
    description: Seconds to wait for each answer.
    type: int
    default: 30
  on_unreachable:
    description:
      - V(fail) stops with an error naming each endpoint and why it did not answer.
      - V(warn) leaves that service's groups empty, warns, and lists the problems in C(live_inventory_errors).
    type: str
    choices: [fail, warn]
    default: fail
  add_hosts:
    description:
      - Add hosts the daemons report that no earlier inventory source has. When false, only hosts already in the
        inventory are grouped.
    type: bool
    default: true
  hdfs_group_prefix:
    description: Put in front of the HDFS state names to make the group names.
    type: str
    default: hdfs_
  yarn_group_prefix:
    description: Put in front of the YARN state names to make the group names.
    type: str
    default: yarn_
"""

EXAMPLES = r"""
# inventories/prod/live.yml, beside cluster.yml: the endpoints come from its groups.
plugin: datafleet.hadoop.live

# Restart only the DataNodes that are dead:
#   ansible-playbook -i inventories/prod site.yml --limit hdfs_dead

---
# Explicit endpoints, TLS and Kerberos, and a lenient result for dashboards.
plugin: datafleet.hadoop.live
namenode_urls: [https://nn1.example.com:9871, https://nn2.example.com:9871]
resourcemanager_urls: [https://rm1.example.com:8090, https://rm2.example.com:8090]
ca_path: /etc/pki/tls/certs/ca-bundle.crt
use_gssapi: true
on_unreachable: warn
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/datafleet-live
cache_timeout: 60
keyed_groups:
  - key: live_hdfs.version
    prefix: hdfs_version
"""

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.utils.display import Display

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HttpClient
from ansible_collections.datafleet.hadoop.plugins.plugin_utils._inventory import DatafleetInventory
from ansible_collections.datafleet.hadoop.plugins.plugin_utils._live import (
    HDFS_GROUPS, YARN_GROUPS, LiveError, read_hdfs, read_yarn)

try:
    from ansible.utils.unsafe_proxy import make_unsafe
except ImportError:  # pragma: no cover
    def make_unsafe(value):
        return value

display = Display()

_HTTP_OPTIONS = ('validate_certs', 'ca_path', 'client_cert', 'client_key', 'use_gssapi', 'timeout')


class InventoryModule(DatafleetInventory):

    NAME = 'datafleet.hadoop.live'

    def _urls(self, option, group_option, port_option):
        urls = self.get_option(option)
        if urls:
            return list(urls)
        group = self.inventory.groups.get(self.get_option(group_option))
        if group is None:
            return []
        return ['%s://%s:%d' % (self.get_option('scheme'), host.name, self.get_option(port_option))
                for host in group.get_hosts()]

    def _read(self, reader, urls, service, option):
        options = dict((key, self.get_option(key)) for key in _HTTP_OPTIONS)
        try:
            url, state, hosts, masters = reader([HttpClient(url, **options) for url in urls])
        except LiveError as e:
            return {'error': '%s. Check %s (%s), that the %s runs and is reachable from here, and the TLS/Kerberos '
                             'options' % (to_native(e), option, ', '.join(urls), service)}
        return {'url': url, 'ha_state': state, 'hosts': hosts, 'masters': masters}

    def _fetch(self):
        namenodes = self._urls('namenode_urls', 'namenode_group', 'namenode_port')
        resourcemanagers = self._urls('resourcemanager_urls', 'resourcemanager_group', 'resourcemanager_port')
        if not namenodes and not resourcemanagers:
            raise AnsibleParserError(
                'datafleet.hadoop.live: no NameNode or ResourceManager to ask. Set namenode_urls and '
                'resourcemanager_urls, or load a topology with the %s/%s groups first (-i cluster.yml -i live.yml)'
                % (self.get_option('namenode_group'), self.get_option('resourcemanager_group')))
        result = {}
        if namenodes:
            result['hdfs'] = self._read(read_hdfs, namenodes, 'NameNode', 'namenode_urls')
        if resourcemanagers:
            result['yarn'] = self._read(read_yarn, resourcemanagers, 'ResourceManager', 'resourcemanager_urls')
        return result

    def _populate(self, data):
        errors = [part['error'] for part in data.values() if 'error' in part]
        if errors and self.get_option('on_unreachable') == 'fail':
            raise AnsibleParserError('datafleet.hadoop.live: ' + ' | '.join(errors))
        for message in errors:
            display.warning('datafleet.hadoop.live: %s' % message)
        self.inventory.set_variable('all', 'live_inventory_errors', make_unsafe(errors))
        hostvars = {}
        for service, names, prefix, variable, master in (
                ('hdfs', HDFS_GROUPS, self.get_option('hdfs_group_prefix'), 'live_hdfs', 'namenode'),
                ('yarn', YARN_GROUPS, self.get_option('yarn_group_prefix'), 'live_yarn', 'resourcemanager')):
            part = data.get(service) or {}
            if 'hosts' not in part:
                continue
            for name in names:
                self.inventory.add_group(prefix + name)
            # The masters by HA state: <prefix><master>_active, _standby.
            for host, state in sorted((part.get('masters') or {}).items()):
                if state and (host in self.inventory.hosts or self.get_option('add_hosts')):
                    self.inventory.add_host(host)
                    group = self.inventory.add_group('%s%s_%s' % (prefix, master, str(state).lower()))
                    self.inventory.add_child(group, host)
            for host, info in sorted(part['hosts'].items()):
                if host not in self.inventory.hosts and not self.get_option('add_hosts'):
                    continue
                self.inventory.add_host(host)
                for group in info['groups']:
                    self.inventory.add_child(self.inventory.add_group(prefix + group), host)
                self.inventory.set_variable(host, variable, make_unsafe(info['vars']))
                hostvars.setdefault(host, {})[variable] = info['vars']
        for host, variables in hostvars.items():
            if self._constructing():
                self._construct(host, dict(self.inventory.get_host(host).get_vars(), **variables))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        self._read_checked_config(path)
        # A failed read is never cached: the next run asks again.
        data = self._cached(self.get_cache_key(path), cache, self._fetch,
                            keep=lambda d: not any('error' in part for part in d.values()))
        self._populate(data)
