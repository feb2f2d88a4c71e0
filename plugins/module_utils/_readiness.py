# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Is a daemon up? Its systemd unit and its own endpoint, read together.

A unit that systemd restarts after a crash (Restart=on-failure) is "active"
most of the time, so the unit's state alone says little: a daemon is ready
when its endpoint answers the way a working daemon does (see PROBES in
_daemons), and it has crashed when the unit fails, waits to be restarted or
runs another process than the one first seen.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError
from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import SERVING_MODES, ZooKeeperError

# A DataNode's block pool service that talks to a NameNode.
_ACTOR_RUNNING = 'RUNNING'
# NodeManager states in which it runs containers (or finishes them).
_NODE_UP = ('RUNNING', 'DECOMMISSIONING')


def parse_show(text):
    """{property: value} of `systemctl show -p ...` output."""
    values = {}
    for line in (text or '').splitlines():
        key, sep, value = line.partition('=')
        if sep:
            values[key.strip()] = value.strip()
    return values


def unit_problem(show, first_pid=None):
    """Why the unit is not running a daemon that can become ready, or None.

    show: parse_show() of ActiveState, SubState, MainPID, Result, LoadState;
    first_pid: the main PID seen at the first look (a different one later
    means the daemon died and systemd started it again)."""
    if show.get('LoadState') == 'not-found':
        return 'the unit is not installed'
    active, sub = show.get('ActiveState'), show.get('SubState')
    if sub == 'auto-restart':
        return 'the daemon exited (%s) and systemd waits to start it again' % (show.get('Result') or 'failed')
    if active == 'failed':
        return 'the unit failed (%s)' % (show.get('Result') or 'failed')
    if active in ('inactive', 'deactivating'):
        return 'the unit is %s: the daemon is not running' % active
    pid = show.get('MainPID')
    if first_pid not in (None, '', '0') and pid not in (None, '', '0') and pid != first_pid:
        return 'the daemon exited and systemd started it again (PID %s, then %s)' % (first_pid, pid)
    return None


def _jmx_bean(client, path, query):
    beans = client.get_json(path, query={'qry': query}).get('beans') or []
    return beans[0] if beans else None


def probe_namenode(client, node=None):
    bean = _jmx_bean(client, '/jmx', 'Hadoop:service=NameNode,name=NameNodeStatus')
    state = (bean or {}).get('State')
    if state in ('active', 'standby', 'observer'):
        return True, 'the NameNode is %s' % state
    return False, 'the NameNode reports state %r' % (state,)


def probe_datanode(client, node=None):
    bean = _jmx_bean(client, '/jmx', 'Hadoop:service=DataNode,name=DataNodeInfo')
    if not bean:
        return False, 'the DataNode JMX has no DataNodeInfo yet'
    actors = bean.get('BPServiceActorInfo') or '[]'
    if not isinstance(actors, list):
        actors = json.loads(actors)
    running = [a for a in actors if a.get('ActorState') == _ACTOR_RUNNING]
    if running:
        return True, 'the DataNode is connected to %s' % ', '.join(sorted(a.get('NamenodeAddress', '?') for a in running))
    states = ', '.join('%s: %s' % (a.get('NamenodeAddress', '?'), a.get('ActorState')) for a in actors)
    return False, 'the DataNode is not connected to a NameNode (%s)' % (states or 'no block pool service yet')


def probe_resourcemanager(client, node=None):
    info = client.get_json('/ws/v1/cluster/info').get('clusterInfo') or {}
    state, ha_state = info.get('state'), info.get('haState')
    if state == 'STARTED' and ha_state in ('ACTIVE', 'STANDBY'):
        return True, 'the ResourceManager is %s' % ha_state.lower()
    return False, 'the ResourceManager reports state %s, HA state %s' % (state, ha_state)


def probe_nodemanager(client, node):
    """client: the ResourceManager; node: host:port (the node id) or host."""
    host, sep, port = node.rpartition(':')
    if sep and port.isdigit() and port != '0':
        try:
            found = [client.get_json('/ws/v1/cluster/nodes/%s' % quote(node, safe=':')).get('node') or {}]
        except HadoopHttpError as e:
            if e.status != 404:
                raise
            found = []
    else:
        host = node
        listing = (client.get_json('/ws/v1/cluster/nodes').get('nodes') or {}).get('node') or []
        found = sorted((n for n in listing if n.get('nodeHostName') == host),
                       key=lambda n: n.get('lastHealthUpdate') or 0)[-1:]
    if not found or not found[0].get('state'):
        return False, 'the ResourceManager does not know %s yet' % node
    state = found[0]['state']
    if state in _NODE_UP:
        return True, 'the ResourceManager lists %s as %s' % (node, state)
    if state == 'UNHEALTHY':
        return True, 'the ResourceManager lists %s as UNHEALTHY: %s' % (node, found[0].get('healthReport') or '')
    return False, 'the ResourceManager lists %s as %s' % (node, state)


def probe_historyserver(client, node=None):
    info = client.get_json('/ws/v1/history/info').get('historyInfo') or {}
    if info.get('startedOn'):
        return True, 'the history server answers (Hadoop %s)' % info.get('hadoopVersion')
    return False, 'the history server answered without its start time'


def probe_spark_history(client, node=None):
    version = client.get_json('/api/v1/version').get('spark')
    if version:
        return True, 'the Spark history server answers (Spark %s)' % version
    return False, 'the Spark history server answered without its version'


def probe_zookeeper(client, node=None):
    """client: a _zookeeper.FourLetterClient of the server itself."""
    state = client.srvr()
    if state['mode'] in SERVING_MODES:
        return True, 'the ZooKeeper server is %s' % state['mode']
    return False, 'the ZooKeeper server is %s' % (state.get('detail') or 'in mode %s' % state['mode'])


def probe_journalnode(client, node=None):
    bean = _jmx_bean(client, '/jmx', 'Hadoop:service=JournalNode,name=JournalNodeInfo')
    if bean and bean.get('HostAndPort'):
        return True, 'the JournalNode answers on %s' % bean['HostAndPort']
    return False, 'the JournalNode JMX has no JournalNodeInfo yet'


class TcpPort(object):
    """A daemon that answers no HTTP (the ZKFC): its RPC port, tcp://host:port."""

    def __init__(self, host, port, timeout=5):
        self.host, self.port, self.timeout = host, int(port), timeout

    @classmethod
    def from_url(cls, url):
        host, sep, port = url.replace('tcp://', '', 1).rstrip('/').rpartition(':')
        if not url.startswith('tcp://') or not sep or not host or not port.isdigit():
            raise ValueError('a port is given as tcp://host:port, not %r' % url)
        return cls(host, port)

    def is_open(self):
        try:
            socket.create_connection((self.host, self.port), self.timeout).close()
            return True
        except (socket.error, OSError):
            return False


def probe_zkfc(client, node=None):
    if client.is_open():
        return True, 'the failover controller listens on %s:%d' % (client.host, client.port)
    return False, 'nothing listens on %s:%d yet' % (client.host, client.port)


PROBES = {
    'namenode': probe_namenode,
    'datanode': probe_datanode,
    'resourcemanager': probe_resourcemanager,
    'nodemanager': probe_nodemanager,
    'historyserver': probe_historyserver,
    'spark_history': probe_spark_history,
    'zookeeper': probe_zookeeper,
    'journalnode': probe_journalnode,
    'zkfc': probe_zkfc,
}


def probe(name, client, node=None):
    """(ready, detail) of one daemon; a daemon that does not answer yet is not ready."""
    try:
        return PROBES[name](client, node)
    except (HadoopHttpError, ZooKeeperError) as e:
        return False, 'no answer yet: %s' % e
    except (ValueError, TypeError, AttributeError) as e:
        return False, 'an answer that is not what a working daemon sends: %s' % e
