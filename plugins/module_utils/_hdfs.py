# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""NameNode state from its JMX servlet, as plain dicts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError

_BEAN = 'Hadoop:service=NameNode,name=%s'


class NameNodeJmx(object):
    """Reads NameNode beans through an HttpClient bound to the NameNode's HTTP address."""

    def __init__(self, client):
        self.client = client

    def bean(self, name):
        data = self.client.get_json('/jmx', query={'qry': _BEAN % name})
        beans = data.get('beans') or []
        if not beans:
            raise HadoopHttpError('the NameNode at %s has no JMX bean %s (is it a NameNode?)'
                                  % (self.client.base_url, name))
        return beans[0]

    def beans(self, names):
        return dict((name, self.bean(name)) for name in names)


def _json_field(value, default):
    """NameNodeInfo carries some attributes as JSON encoded strings."""
    if value in (None, ''):
        return default
    if isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return default


def safemode_from_info(info):
    """NameNodeInfo.Safemode is an empty string when safe mode is off."""
    text = (info.get('Safemode') or '').strip()
    return {'on': bool(text), 'message': text}


def _nodes(raw):
    nodes = []
    for name, node in sorted(_json_field(raw, {}).items()):
        entry = {'name': name}
        for key, target in (('infoAddr', 'info_address'), ('xferaddr', 'transfer_address'),
                            ('adminState', 'admin_state'), ('lastContact', 'last_contact'),
                            ('version', 'version'), ('capacity', 'capacity'), ('used', 'used'),
                            ('remaining', 'remaining'), ('numBlocks', 'blocks'),
                            ('volfails', 'failed_volumes'),
                            ('underReplicatedBlocks', 'under_replicated_blocks'),
                            ('decommissionOnlyReplicas', 'decommission_only_replicas'),
                            ('maintenanceOnlyReplicas', 'maintenance_only_replicas'),
                            ('decommissioned', 'decommissioned'), ('location', 'rack'),
                            ('underReplicateInOpenFiles', 'under_replicated_in_open_files')):
            if key in node:
                entry[target] = node[key]
        entry['host'] = name.split(':')[0]
        nodes.append(entry)
    return nodes


def namenode_facts(status, state, system, info):
    """Combine the NameNodeStatus, FSNamesystemState, FSNamesystem and
    NameNodeInfo beans into the facts hdfs_info returns."""
    rolling = _json_field(info.get('RollingUpgradeStatus'), None)
    return {
        'ha_state': status.get('State'),
        'host_and_port': status.get('HostAndPort'),
        'security_enabled': status.get('SecurityEnabled'),
        'cluster_id': info.get('ClusterId'),
        'block_pool_id': info.get('BlockPoolId'),
        'version': (info.get('Version') or '').split(',')[0].strip(),
        'software_version': info.get('SoftwareVersion'),
        'fs_state': state.get('FSState'),
        'safemode': safemode_from_info(info),
        'upgrade_finalized': info.get('UpgradeFinalized'),
        'rolling_upgrade': rolling,
        'capacity': {
            'total': system.get('CapacityTotal'),
            'used': system.get('CapacityUsed'),
            'remaining': system.get('CapacityRemaining'),
            'non_dfs_used': info.get('NonDfsUsedSpace'),
        },
        'blocks': {
            'total': system.get('BlocksTotal'),
            'missing': system.get('MissingBlocks'),
            'corrupt': system.get('CorruptBlocks'),
            'under_replicated': state.get('UnderReplicatedBlocks', system.get('UnderReplicatedBlocks')),
            'low_redundancy': system.get('LowRedundancyBlocks'),
            'pending_reconstruction': system.get('PendingReconstructionBlocks'),
            'missing_replication_one': system.get('MissingReplOneBlocks'),
        },
        'files_total': system.get('FilesTotal'),
        'datanodes': {
            'live': state.get('NumLiveDataNodes'),
            'dead': state.get('NumDeadDataNodes'),
            'decommissioning': state.get('NumDecommissioningDataNodes'),
            'decommissioned_live': state.get('NumDecomLiveDataNodes'),
            'decommissioned_dead': state.get('NumDecomDeadDataNodes'),
            'in_maintenance_live': state.get('NumInMaintenanceLiveDataNodes'),
            'entering_maintenance': state.get('NumEnteringMaintenanceDataNodes'),
            'stale': state.get('NumStaleDataNodes'),
        },
        'live_nodes': _nodes(info.get('LiveNodes')),
        'dead_nodes': _nodes(info.get('DeadNodes')),
        'decommissioning_nodes': _nodes(info.get('DecomNodes')),
        'entering_maintenance_nodes': _nodes(info.get('EnteringMaintenanceNodes')),
        'last_written_transaction_id': system.get('LastWrittenTransactionId'),
        # The last transaction written (active) or applied from the
        # JournalNodes (standby): the difference is the standby's lag.
        'last_txid': _txid(_json_field(info.get('JournalTransactionInfo'), {}).get('LastAppliedOrWrittenTxId')),
    }


def _txid(value):
    return int(value) if value not in (None, '') else None


FACT_BEANS = ('NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo')


def read_namenode_facts(client):
    beans = NameNodeJmx(client).beans(FACT_BEANS)
    return namenode_facts(*(beans[name] for name in FACT_BEANS))
