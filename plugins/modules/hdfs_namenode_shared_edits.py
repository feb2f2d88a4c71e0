#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_namenode_shared_edits
short_description: Give the JournalNodes the namespace of a NameNode that becomes highly available
version_added: 0.1.0
description:
  - Converting a running single NameNode to an HA nameservice, runs C(hdfs namenode -initializeSharedEdits
    -nonInteractive) on that NameNode; the JournalNodes' journal is formatted with the namespace's IDs and
    receives the edits since the last checkpoint. The namespace, its cluster ID and every block are kept.
  - Does nothing when every JournalNode holds the nameservice's journal already (an earlier run did it).
  - Refuses, without changing anything, when the metadata directories do not hold a namespace, when the
    NameNode still runs (its web server answers at O(namenode_url)), when a JournalNode does not answer, and
    when only some JournalNodes hold the journal.
  - Run it as the HDFS service user on the NameNode that holds the namespace, stopped, with the nameservice's
    configuration in place. In check mode the NameNode may still run; the module tells whether a run would
    initialize the JournalNodes.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  namenode_url:
    description:
      - HTTP URL of this NameNode's web server, which must not answer (the NameNode is stopped).
    type: str
    required: true
extends_documentation_fragment:
  - datafleet.hadoop.namenode_storage
  - datafleet.hadoop.namenode_storage.nameservice
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Give the JournalNodes the namespace
  datafleet.hadoop.hdfs_namenode_shared_edits:
    name_dirs: [/var/lib/hadoop/hdfs/namenode]
    nameservice: analytics
    journalnode_urls:
      - http://master1.example.com:8480
      - http://master2.example.com:8480
      - http://master3.example.com:8480
    namenode_url: http://master1.example.com:9870
  become: true
  become_user: hdfs
'''

RETURN = r'''
initialized:
  description: Whether the JournalNodes were given the namespace in this run (or would be, in check mode).
  returned: success
  type: bool
cluster_id:
  description: The cluster ID of the namespace.
  returned: success
  type: str
journals:
  description: Whether each JournalNode held the nameservice's journal before the run.
  returned: always
  type: dict
  sample: {"http://master1.example.com:8480": false}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import http_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import (
    inspect_dir, journals, local_state, namenode_states, storage_argument_spec)


def decide(dirs, found, state, check_only=False):
    """'noop' or 'initialize', or ValueError naming the problem and the fix.
    found: journals(); state: this NameNode's HA state (None: not running);
    check_only: in check mode a running NameNode is what a playbook stops next."""
    if local_state(dirs) != 'formatted':
        raise ValueError('the metadata directories (%s) hold no namespace: run this on the NameNode that holds it'
                         % ', '.join(d['path'] for d in dirs))
    silent = sorted(url for url, formatted in found.items() if formatted is None)
    if silent:
        raise ValueError('JournalNode(s) %s do not answer; start them and run again' % ', '.join(silent))
    holding = sorted(url for url, formatted in found.items() if formatted)
    if holding and len(holding) == len(found):
        return 'noop'
    if holding:
        raise ValueError('only %s hold the nameservice\'s journal, %s do not: the journals disagree. Check the '
                         'JournalNodes\' edits directories; an empty JournalNode is filled by its peers once it runs'
                         % (', '.join(holding), ', '.join(sorted(set(found) - set(holding)))))
    if state is not None and not check_only:
        raise ValueError('the NameNode still runs (%s); stop it first: its edits must not change while they are '
                         'copied' % state)
    return 'initialize'


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(http_argument_spec())
    argument_spec.update(storage_argument_spec(nameservice=True))
    argument_spec.update(
        namenode_url=dict(type='str', required=True),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    dirs = [inspect_dir(path) for path in params['name_dirs']]
    found = journals(params['journalnode_urls'], params['nameservice'], params)
    try:
        action = decide(dirs, found, namenode_states([params['namenode_url']], params)[params['namenode_url']],
                        module.check_mode)
    except ValueError as e:
        module.fail_json(msg='refusing to initialize the shared edits: %s' % e, journals=found)
    cluster_id = dirs[0]['cluster_id']
    if action == 'noop':
        module.exit_json(changed=False, initialized=False, cluster_id=cluster_id, journals=found)
    diff = {'before': {'journal': 'none'}, 'after': {'journal': 'namespace %s' % cluster_id}}
    if module.check_mode:
        module.exit_json(changed=True, initialized=True, cluster_id=cluster_id, journals=found, diff=diff)
    HadoopCli(module).run('namenode', ['-initializeSharedEdits', '-nonInteractive'])
    after = journals(params['journalnode_urls'], params['nameservice'], params)
    if not all(after.values()):
        module.fail_json(msg='-initializeSharedEdits succeeded but these JournalNodes hold no journal: %s'
                         % ', '.join(sorted(url for url, ok in after.items() if not ok)), journals=after)
    module.exit_json(changed=True, initialized=True, cluster_id=cluster_id, journals=found, diff=diff)


if __name__ == '__main__':
    main()
