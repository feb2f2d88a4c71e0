#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_namenode_format
short_description: Format a new HDFS NameNode, and never an existing one
version_added: 0.1.0
description:
  - Formats the NameNode metadata directories with C(-format -nonInteractive), never with C(-force).
  - Formats only when no directory in O(name_dirs) holds a C(current/VERSION) file and none holds
    other data. When every directory is formatted with the same cluster ID it does nothing.
  - Refuses, without changing anything, when some directories are formatted and others are not,
    when directories hold different cluster IDs, when a directory holds data without a VERSION
    file, or when O(cluster_id) differs from the cluster ID on disk. A second format would give
    the cluster a new ID and every DataNode would refuse to join.
  - In an HA nameservice (O(nameservice) and O(journalnode_urls) given) the format also formats the
    JournalNodes' journal, so it runs on one NameNode only. When the directories are empty but the
    JournalNodes already hold the nameservice's journal, the NameNode is not new but lost its
    metadata; the module changes nothing and returns RV(bootstrap_required=true); copy the namespace
    from a running NameNode with M(datafleet.hadoop.hdfs_namenode_bootstrap).
  - Run it as the HDFS service user (for example with C(become_user=hdfs)).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  cluster_id:
    description:
      - Cluster ID to format with. When omitted the NameNode generates one.
      - When the NameNode is already formatted, it must match the ID on disk.
    type: str
  nameservice:
    description:
      - The HA nameservice the NameNode belongs to (C(dfs.nameservices)). Give it with O(journalnode_urls).
    type: str
    version_added: 0.1.0
  journalnode_urls:
    description:
      - HTTP URLs of the nameservice's JournalNodes (for example V(http://jn1.example.com:8480)), asked
        through their JMX whether they hold the nameservice's journal. Every JournalNode must answer.
    type: list
    elements: str
    default: []
    version_added: 0.1.0
extends_documentation_fragment:
  - datafleet.hadoop.namenode_storage
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Format the NameNode of a new cluster
  datafleet.hadoop.hdfs_namenode_format:
    name_dirs:
      - /data/1/hdfs/namenode
      - /data/2/hdfs/namenode
  become: true
  become_user: hdfs
'''

RETURN = r'''
cluster_id:
  description: The cluster ID on disk after the run (none in check mode before a first format).
  returned: success
  type: str
  sample: CID-2f9d1f52-0d3e-4a8c-9a6f-4c3b0f3e9d11
formatted:
  description: Whether the directories hold a formatted namespace after the run.
  returned: success
  type: bool
bootstrap_required:
  description:
    - The directories are empty but the nameservice exists (its JournalNodes hold the journal). Nothing
      was formatted; copy the namespace with M(datafleet.hadoop.hdfs_namenode_bootstrap).
  returned: success
  type: bool
  version_added: 0.1.0
directories:
  description: What was found in each directory before the run.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/data/1/hdfs/namenode", "state": "formatted", "cluster_id": "CID-2f9d"}]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import http_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import (
    inspect_dir, journals, local_state, storage_argument_spec)


def decide(dirs, cluster_id=None):
    """Return ('noop'|'format', cluster_id) or raise ValueError with the reason to refuse."""
    try:
        state = local_state(dirs)
    except ValueError as e:
        raise ValueError('refusing to format: %s' % e)
    if state == 'empty':
        return 'format', cluster_id
    found = dirs[0]['cluster_id']
    if cluster_id and found != cluster_id:
        raise ValueError(
            'the NameNode is already formatted with cluster ID %s, not %s; a new format would make every '
            'DataNode refuse to join. Set cluster_id to %s (or leave it unset)' % (found, cluster_id, found))
    return 'noop', found


def nameservice_exists(found):
    """From journals(): whether the JournalNodes hold the nameservice's journal;
    ValueError when one does not answer (the format would fail half-way)."""
    silent = sorted(url for url, formatted in found.items() if formatted is None)
    if silent:
        raise ValueError('cannot tell whether the nameservice exists: JournalNode(s) %s do not answer; start them '
                         'and run again' % ', '.join(silent))
    return any(found.values())


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(http_argument_spec())
    argument_spec.update(storage_argument_spec())
    argument_spec.update(
        cluster_id=dict(type='str'),
        nameservice=dict(type='str'),
        journalnode_urls=dict(type='list', elements='str', default=[]),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_by={'nameservice': 'journalnode_urls'})
    dirs = [inspect_dir(path) for path in module.params['name_dirs']]
    try:
        action, cluster_id = decide(dirs, module.params['cluster_id'])
        exists = action == 'format' and bool(module.params['nameservice']) and nameservice_exists(
            journals(module.params['journalnode_urls'], module.params['nameservice'], module.params))
    except ValueError as e:
        module.fail_json(msg=str(e), directories=dirs)

    if action == 'noop':
        module.exit_json(changed=False, formatted=True, cluster_id=cluster_id, directories=dirs,
                         bootstrap_required=False)
    if exists:
        # Not a new NameNode: one that lost its metadata in a running nameservice.
        module.exit_json(changed=False, formatted=False, cluster_id=None, directories=dirs, bootstrap_required=True)

    diff = {'before': {'formatted': False}, 'after': {'formatted': True, 'cluster_id': cluster_id or '(generated)'}}
    if module.check_mode:
        module.exit_json(changed=True, formatted=False, cluster_id=cluster_id, directories=dirs, diff=diff,
                         bootstrap_required=False)

    args = ['-format', '-nonInteractive']
    if cluster_id:
        args.extend(['-clusterid', cluster_id])
    HadoopCli(module).run('namenode', args)
    after = [inspect_dir(path) for path in module.params['name_dirs']]
    if any(d['state'] != 'formatted' for d in after):
        module.fail_json(msg='the format command succeeded but these directories hold no VERSION file: %s'
                         % ', '.join(d['path'] for d in after if d['state'] != 'formatted'), directories=dirs)
    cluster_id = after[0]['cluster_id']
    diff['after']['cluster_id'] = cluster_id
    module.exit_json(changed=True, formatted=True, cluster_id=cluster_id, directories=dirs, diff=diff,
                     bootstrap_required=False)


if __name__ == '__main__':
    main()
