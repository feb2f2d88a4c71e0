# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""ResourceManager state from its REST API, as plain dicts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

_NODE_KEYS = (
    ('id', 'id'), ('nodeHostName', 'host'), ('state', 'state'), ('rack', 'rack'),
    ('nodeHTTPAddress', 'http_address'), ('lastHealthUpdate', 'last_health_update'),
    ('healthReport', 'health_report'), ('version', 'version'), ('numContainers', 'containers'),
    ('usedMemoryMB', 'used_memory_mb'), ('availMemoryMB', 'available_memory_mb'),
    ('usedVirtualCores', 'used_vcores'), ('availableVirtualCores', 'available_vcores'),
    ('decommissioningTimeout', 'decommissioning_timeout'),
)

_METRIC_KEYS = (
    ('activeNodes', 'active'), ('decommissioningNodes', 'decommissioning'),
    ('decommissionedNodes', 'decommissioned'), ('lostNodes', 'lost'),
    ('unhealthyNodes', 'unhealthy'), ('rebootedNodes', 'rebooted'),
    ('shutdownNodes', 'shutdown'), ('totalNodes', 'total'),
)


def node_facts(node):
    facts = dict((target, node[key]) for key, target in _NODE_KEYS if key in node)
    # The NodeManager's whole memory and vCores, in every state (a LOST node
    # has nothing available but keeps its total).
    total = node.get('totalResource') or {}
    if 'memory' in total:
        facts['memory_mb'] = total['memory']
    if 'vCores' in total:
        facts['vcores'] = total['vCores']
    return facts


def resourcemanager_facts(info, metrics, nodes):
    """Combine /ws/v1/cluster/info, /metrics and /nodes into yarn_info's facts."""
    info = info.get('clusterInfo', info)
    metrics = metrics.get('clusterMetrics', metrics)
    node_list = ((nodes.get('nodes') or {}).get('node')) or []
    return {
        'cluster_id': info.get('id'),
        'ha_state': info.get('haState'),
        'state': info.get('state'),
        'version': info.get('hadoopVersion') or info.get('resourceManagerVersion'),
        'started_on': info.get('startedOn'),
        'nodes': dict((target, metrics.get(key)) for key, target in _METRIC_KEYS),
        'apps': {
            'running': metrics.get('appsRunning'),
            'pending': metrics.get('appsPending'),
            'completed': metrics.get('appsCompleted'),
            'failed': metrics.get('appsFailed'),
            'killed': metrics.get('appsKilled'),
        },
        'memory_mb': {
            'total': metrics.get('totalMB'),
            'available': metrics.get('availableMB'),
            'allocated': metrics.get('allocatedMB'),
        },
        'vcores': {
            'total': metrics.get('totalVirtualCores'),
            'available': metrics.get('availableVirtualCores'),
            'allocated': metrics.get('allocatedVirtualCores'),
        },
        'node_list': sorted((node_facts(n) for n in node_list), key=lambda n: n.get('id') or ''),
    }


# All node states, so decommissioned and lost nodes are listed too (the
# default listing shows only the usable ones).
ALL_NODE_STATES = 'NEW,RUNNING,UNHEALTHY,DECOMMISSIONING,DECOMMISSIONED,LOST,REBOOTED,SHUTDOWN'


def read_resourcemanager_facts(client):
    return resourcemanager_facts(
        client.get_json('/ws/v1/cluster/info'),
        client.get_json('/ws/v1/cluster/metrics'),
        client.get_json('/ws/v1/cluster/nodes', query={'states': ALL_NODE_STATES}),
    )


# Which entry wins when the ResourceManager lists a host twice (an old
# inactive entry and a new registration).
_STATE_RANK = {'RUNNING': 0, 'DECOMMISSIONING': 1, 'NEW': 2, 'UNHEALTHY': 3, 'REBOOTED': 4,
               'DECOMMISSIONED': 5, 'LOST': 6, 'SHUTDOWN': 7}


def nodes_by_host(payload):
    """{host: node facts} from /ws/v1/cluster/nodes."""
    result = {}
    for raw in ((payload.get('nodes') or {}).get('node')) or []:
        node = node_facts(raw)
        host = node.get('host')
        current = result.get(host)
        if current is None or _STATE_RANK.get(node.get('state'), 9) < _STATE_RANK.get(current.get('state'), 9):
            result[host] = node
    return result


def read_nodes(client):
    return nodes_by_host(client.get_json('/ws/v1/cluster/nodes', query={'states': ALL_NODE_STATES}))


def node_progress(nodes, hosts, state):
    """Per host: its state, running containers, graceful timeout left, and whether it is done."""
    result = {}
    for host in hosts:
        node = nodes.get(host) or {}
        current = node.get('state')
        if state == 'decommissioned':
            # A node the ResourceManager never saw runs nothing.
            done = current in (None, 'DECOMMISSIONED', 'SHUTDOWN', 'LOST')
        else:
            done = current == 'RUNNING'
        timeout = node.get('decommissioning_timeout')
        result[host] = {'state': current, 'containers': node.get('containers', 0),
                        'timeout_left': timeout if current == 'DECOMMISSIONING' else None, 'done': done}
    return result


def usable_after(nodes, excluded):
    """RUNNING NodeManagers that are not being taken out."""
    return [h for h, n in nodes.items() if n.get('state') == 'RUNNING' and h not in excluded]
