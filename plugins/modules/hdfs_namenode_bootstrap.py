#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_namenode_bootstrap
short_description: Copy the namespace of an HA nameservice to a NameNode with empty metadata directories
version_added: 0.1.0
description:
  - Runs C(hdfs namenode -bootstrapStandby -nonInteractive) on a NameNode of an HA nameservice whose metadata
    directories are empty (a NameNode added to the nameservice, or one whose directories were lost (a replaced
    disk)). It copies the newest checkpoint from a running NameNode; the JournalNodes supply the edits after it.
    The namespace and its cluster ID are kept; nothing is formatted.
  - Does nothing when every directory holds the namespace.
  - Refuses, without changing anything, when the directories hold something else or only some are formatted,
    when a JournalNode does not answer, when the JournalNodes hold no journal of the nameservice (a new
    nameservice is formatted on one NameNode with M(datafleet.hadoop.hdfs_namenode_format)), and when no other
    NameNode of O(namenode_url) runs. An active NameNode is the source when there is one; a standby is accepted
    only when none is active (the formatted first NameNode of a new nameservice, before the failover controllers
    elect it).
  - Run it as the HDFS service user (for example with C(become_user=hdfs)) on the NameNode to fill, with the
    nameservice's configuration in place and the NameNode stopped.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  namenode_url:
    description:
      - HTTP URLs of the other NameNodes of the nameservice, separated by commas; the sources it may copy from.
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
- name: Copy the namespace to the second NameNode
  datafleet.hadoop.hdfs_namenode_bootstrap:
    name_dirs: [/data/1/hdfs/namenode]
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
bootstrapped:
  description: Whether the namespace was copied in this run (or would be, in check mode).
  returned: success
  type: bool
source:
  description: The NameNode URL the namespace is copied from, and its HA state.
  returned: when the namespace is copied
  type: dict
  sample: {"url": "http://master1.example.com:9870", "state": "active"}
cluster_id:
  description: The cluster ID in the directories after the run (none in check mode).
  returned: success
  type: str
  sample: CID-2f9d1f52-0d3e-4a8c-9a6f-4c3b0f3e9d11
directories:
  description: What was found in each directory before the run.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/data/1/hdfs/namenode", "state": "empty"}]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import http_argument_spec, namenode_urls
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import (
    inspect_dir, journals, local_state, namenode_states, storage_argument_spec)


def choose_source(found_journals, states):
    """The NameNode to copy from, as (url, state); ValueError naming the
    problem and the fix when copying is not safe."""
    silent = sorted(url for url, formatted in found_journals.items() if formatted is None)
    if silent:
        raise ValueError('JournalNode(s) %s do not answer: the copied namespace could miss their edits. Start '
                         'them and run again' % ', '.join(silent))
    if not any(found_journals.values()):
        raise ValueError('the JournalNodes hold no journal of the nameservice: it is new, and is formatted on one '
                         'NameNode (hdfs_namenode_format) before the others copy from it')
    for wanted in ('active', 'standby'):
        for url in sorted(states):
            if states[url] == wanted:
                return url, wanted
    raise ValueError('no other NameNode of the nameservice runs (%s): start one that holds the namespace and run '
                     'again; a NameNode with empty directories must never be formatted in a running nameservice'
                     % ', '.join('%s: %s' % (url, states[url] or 'no answer') for url in sorted(states)) or 'none given')


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
    try:
        if local_state(dirs) == 'formatted':
            module.exit_json(changed=False, bootstrapped=False, cluster_id=dirs[0]['cluster_id'], directories=dirs)
        url, state = choose_source(journals(params['journalnode_urls'], params['nameservice'], params),
                                   namenode_states(namenode_urls(params['namenode_url']), params))
    except ValueError as e:
        module.fail_json(msg='refusing to bootstrap: %s' % e, directories=dirs)
    source = {'url': url, 'state': state}
    diff = {'before': {'namespace': 'none'}, 'after': {'namespace': 'copied from %s (%s)' % (url, state)}}
    if module.check_mode:
        module.exit_json(changed=True, bootstrapped=True, source=source, cluster_id=None, directories=dirs, diff=diff)
    HadoopCli(module).run('namenode', ['-bootstrapStandby', '-nonInteractive'])
    after = [inspect_dir(path) for path in params['name_dirs']]
    if any(d['state'] != 'formatted' for d in after):
        module.fail_json(msg='-bootstrapStandby succeeded but these directories hold no VERSION file: %s'
                         % ', '.join(d['path'] for d in after if d['state'] != 'formatted'), directories=dirs)
    module.exit_json(changed=True, bootstrapped=True, source=source, cluster_id=after[0]['cluster_id'],
                     directories=dirs, diff=diff)


if __name__ == '__main__':
    main()
