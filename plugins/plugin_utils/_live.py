# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This plugin_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""A running cluster's hosts by live state, for the datafleet.hadoop.live inventory plugin.

Reads the active NameNode's JMX and the active ResourceManager's REST API
through the collection's HTTP client (TLS and SPNEGO options included) and
sorts every DataNode and NodeManager into state groups. The functions that
sort take plain payloads, so they are tested against captured answers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import NameNodeJmx, namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import ALL_NODE_STATES, nodes_by_host

# The NameNode's admin states and the group each one puts a live DataNode in.
HDFS_ADMIN_GROUPS = {
    'In Service': 'in_service',
    'Decommission In Progress': 'decommissioning',
    'Decommissioned': 'decommissioned',
    'Entering Maintenance': 'entering_maintenance',
    'In Maintenance': 'in_maintenance',
}
HDFS_GROUPS = ('live', 'dead', 'in_service', 'decommissioning', 'decommissioned', 'entering_maintenance',
               'in_maintenance')
YARN_GROUPS = tuple(state.lower() for state in ALL_NODE_STATES.split(','))

_HDFS_VARS = ('admin_state', 'last_contact', 'version', 'capacity', 'used', 'remaining', 'blocks', 'failed_volumes',
              'rack', 'transfer_address', 'info_address')


class LiveError(Exception):
    """No endpoint of a service answered; the message lists what each said."""


def _hdfs_vars(node, state):
    result = {'state': state}
    for key in _HDFS_VARS:
        if node.get(key) is not None:
            result[key] = node[key]
    if node.get('capacity'):
        result['used_percent'] = round(100.0 * (node.get('used') or 0) / node['capacity'], 1)
    return result


def hdfs_hosts(facts):
    """{host: {'groups': [...], 'vars': {...}}} from hdfs_info-style NameNode facts.

    A dead DataNode that is decommissioned or in maintenance is expected to be
    down: it goes to that group, not to 'dead', so 'dead' holds the DataNodes
    that need attention. Its variables still say state: dead.
    """
    result = {}
    for node in facts.get('live_nodes') or []:
        admin = node.get('admin_state')
        groups = ['live'] + ([HDFS_ADMIN_GROUPS[admin]] if admin in HDFS_ADMIN_GROUPS else [])
        result[node['host']] = {'groups': groups, 'vars': _hdfs_vars(node, 'live')}
    for node in facts.get('dead_nodes') or []:
        if node['host'] in result:  # re-registered under another port
            continue
        admin = node.get('admin_state')
        if admin is None and node.get('decommissioned'):
            admin = 'Decommissioned'
        if admin in ('Decommissioned', 'In Maintenance'):
            groups = [HDFS_ADMIN_GROUPS[admin]]
        else:
            groups = ['dead']
        variables = _hdfs_vars(node, 'dead')
        if admin:
            variables['admin_state'] = admin
        result[node['host']] = {'groups': groups, 'vars': variables}
    return result


def yarn_hosts(nodes):
    """{host: {'groups': [state], 'vars': {...}}} from nodes_by_host()."""
    return dict((host, {'groups': [node.get('state', 'unknown').lower()], 'vars': node})
                for host, node in nodes.items())


def _first_active(clients, ask, active_value, service):
    """(the client whose daemon says it is active, else the first that
    answered; its state; {host: state} of every master that answered)."""
    answered, errors = [], []
    for client in clients:
        try:
            answered.append((client, ask(client)))
        except (HadoopHttpError, ValueError) as e:
            errors.append(str(e))
    if not answered:
        raise LiveError('no %s answered: %s' % (service, '; '.join(errors)))
    masters = dict((urlsplit(client.base_url).hostname, state) for client, state in answered)
    active = [(client, state) for client, state in answered if state == active_value]
    client, state = (active or answered)[0]
    return client, state, masters


def read_hdfs(clients):
    """(url, ha_state, {host: ...}, {NameNode host: HA state}) from the active NameNode."""
    client, state, masters = _first_active(
        clients, lambda c: NameNodeJmx(c).bean('NameNodeStatus').get('State'), 'active', 'NameNode')
    try:
        info = NameNodeJmx(client).bean('NameNodeInfo')
    except HadoopHttpError as e:
        raise LiveError('the NameNode at %s answered its status but not NameNodeInfo: %s' % (client.base_url, e))
    facts = namenode_facts({'State': state}, {}, {}, info)
    return client.base_url, state, hdfs_hosts(facts), masters


def read_yarn(clients):
    """(url, ha_state, {host: ...}, {ResourceManager host: HA state}) from the active ResourceManager."""
    def ask(client):
        info = client.get_json('/ws/v1/cluster/info')
        return (info.get('clusterInfo') or info).get('haState')
    client, state, masters = _first_active(clients, ask, 'ACTIVE', 'ResourceManager')
    try:
        payload = client.get_json('/ws/v1/cluster/nodes', query={'states': ALL_NODE_STATES})
    except HadoopHttpError as e:
        raise LiveError('the ResourceManager at %s answered its state but not its nodes: %s' % (client.base_url, e))
    return client.base_url, state, yarn_hosts(nodes_by_host(payload)), masters
