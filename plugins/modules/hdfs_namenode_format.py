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
  - Run it as the HDFS service user (for example with C(become_user=hdfs)).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  name_dirs:
    description:
      - Local directories of C(dfs.namenode.name.dir), without a C(file://) prefix.
    type: list
    elements: path
    required: true
  cluster_id:
    description:
      - Cluster ID to format with. When omitted the NameNode generates one.
      - When the NameNode is already formatted, it must match the ID on disk.
    type: str
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
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
directories:
  description: What was found in each directory before the run.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/data/1/hdfs/namenode", "state": "formatted", "cluster_id": "CID-2f9d"}]
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec

_IGNORED_ENTRIES = ('lost+found',)


def read_version_file(path):
    """Parse a Java properties style VERSION file into a dict."""
    props = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith('#') and '=' in line:
                key, value = line.split('=', 1)
                props[key.strip()] = value.strip()
    return props


def inspect_dir(path):
    version = os.path.join(path, 'current', 'VERSION')
    if os.path.isfile(version):
        props = read_version_file(version)
        if props.get('storageType', 'NAME_NODE') != 'NAME_NODE':
            # A DataNode's or JournalNode's storage, not NameNode metadata.
            return {'path': path, 'state': 'unknown_data', 'storage_type': props.get('storageType')}
        return {'path': path, 'state': 'formatted', 'cluster_id': props.get('clusterID'),
                'namespace_id': props.get('namespaceID')}
    if os.path.isdir(path) and [e for e in os.listdir(path) if e not in _IGNORED_ENTRIES]:
        return {'path': path, 'state': 'unknown_data'}
    return {'path': path, 'state': 'empty'}


def decide(dirs, cluster_id=None):
    """Return ('noop'|'format', cluster_id) or raise ValueError with the reason to refuse."""
    formatted = [d for d in dirs if d['state'] == 'formatted']
    unknown = [d for d in dirs if d['state'] == 'unknown_data']
    if unknown:
        raise ValueError(
            'refusing to format: %s hold data but no current/VERSION file of a NameNode. Check what they '
            'contain; move the data away or fix dfs.namenode.name.dir' % ', '.join(d['path'] for d in unknown))
    if not formatted:
        return 'format', cluster_id
    if len(formatted) != len(dirs):
        empty = [d['path'] for d in dirs if d['state'] == 'empty']
        raise ValueError(
            'refusing to format: %s are formatted but %s are empty. A NameNode copies its metadata to an '
            'empty name directory on start; start the NameNode instead of formatting'
            % (', '.join(d['path'] for d in formatted), ', '.join(empty)))
    ids = sorted(set(d['cluster_id'] for d in formatted))
    if len(ids) > 1:
        raise ValueError(
            'refusing to continue: the name directories hold different cluster IDs (%s). They belong to '
            'different namespaces; fix dfs.namenode.name.dir before starting the NameNode'
            % ', '.join('%s=%s' % (d['path'], d['cluster_id']) for d in formatted))
    if cluster_id and ids[0] != cluster_id:
        raise ValueError(
            'the NameNode is already formatted with cluster ID %s, not %s; a new format would make every '
            'DataNode refuse to join. Set cluster_id to %s (or leave it unset)' % (ids[0], cluster_id, ids[0]))
    return 'noop', ids[0]


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(
        name_dirs=dict(type='list', elements='path', required=True),
        cluster_id=dict(type='str'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    dirs = [inspect_dir(path) for path in module.params['name_dirs']]
    try:
        action, cluster_id = decide(dirs, module.params['cluster_id'])
    except ValueError as e:
        module.fail_json(msg=str(e), directories=dirs)

    if action == 'noop':
        module.exit_json(changed=False, formatted=True, cluster_id=cluster_id, directories=dirs)

    diff = {'before': {'formatted': False}, 'after': {'formatted': True, 'cluster_id': cluster_id or '(generated)'}}
    if module.check_mode:
        module.exit_json(changed=True, formatted=False, cluster_id=cluster_id, directories=dirs, diff=diff)

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
    module.exit_json(changed=True, formatted=True, cluster_id=cluster_id, directories=dirs, diff=diff)


if __name__ == '__main__':
    main()
