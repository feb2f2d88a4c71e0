#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_journalnode_sync
short_description: Wait until a restarted JournalNode takes part in the NameNode's writes again
version_added: 0.1.0
description:
  - A JournalNode that restarted is written to again from the next edit log segment of the active NameNode.
    The module starts a new segment (C(dfsadmin -rollEdits) against the nameservice, which names the
    transaction the segment starts at), then polls the JournalNode's JMX (bean
    C(Hadoop:service=JournalNode,name=Journal-<nameservice>), C(LastWrittenTxId)) until the JournalNode has
    written that transaction or a later one. It fails after O(timeout) seconds with what the JournalNode
    reported.
  - The gate between two JournalNodes of a rolling restart, so that a quorum of JournalNodes in sync is kept.
  - Rolling the edit log is harmless (HDFS does it every two minutes with HA); it is reported as a change. In
    check mode nothing is rolled and nothing is waited for.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  journalnode_url:
    description:
      - HTTP URL of the JournalNode's web server (for example V(http://jn1.example.com:8480)).
    type: str
    required: true
  nameservice:
    description:
      - The nameservice, the JournalNodes' journal id.
    type: str
    required: true
  timeout:
    description:
      - Seconds to wait for the JournalNode.
    type: int
    default: 120
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: int
    default: 1
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)); the HDFS administrator.
    type: str
    default: hdfs
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hdfs_info
'''

EXAMPLES = r'''
- name: Wait until the restarted JournalNode is written to again
  datafleet.hadoop.hdfs_journalnode_sync:
    journalnode_url: http://master2.example.com:8480
    nameservice: analytics
'''

RETURN = r'''
segment_txid:
  description: The transaction the new edit log segment starts at.
  returned: when not in check mode
  type: int
last_written_txid:
  description: The last transaction the JournalNode wrote when the wait ended.
  returned: when not in check mode
  type: int
waited:
  description: Seconds spent waiting for the JournalNode.
  returned: always
  type: float
'''

import re
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, http_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._namenode import journal_last_written

_SEGMENT = re.compile(r'New segment starts at txid (\d+)')

# Bound here so that tests can replace them.
clock = time.time
sleep = time.sleep


def main():
    argument_spec = http_argument_spec()
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        journalnode_url=dict(type='str', required=True),
        nameservice=dict(type='str', required=True),
        timeout=dict(type='int', default=120),
        poll_interval=dict(type='int', default=1),
        admin_user=dict(type='str', default='hdfs'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if module.check_mode:
        module.exit_json(changed=True, waited=0.0)
    cli = HadoopCli(module, params['admin_user'])
    dummy, out, err = cli.run('dfsadmin', ['-fs', 'hdfs://%s' % params['nameservice'], '-rollEdits'])
    found = _SEGMENT.search(out + err)
    if not found:
        module.fail_json(msg='dfsadmin -rollEdits did not name the new segment: %s' % (out or err).strip()[-500:])
    segment = int(found.group(1))
    start = clock()
    while True:
        try:
            written, error = journal_last_written(params['journalnode_url'], params['nameservice'], params), None
        except HadoopHttpError as e:
            written, error = None, str(e)
        if written is not None and written >= segment:
            module.exit_json(changed=True, segment_txid=segment, last_written_txid=written,
                             waited=round(clock() - start, 1))
        if clock() - start >= params['timeout']:
            module.fail_json(
                msg='The JournalNode %s has not written the new segment (transaction %s) after %ss: %s. Look at its '
                    'log; the next JournalNode is not restarted.'
                    % (params['journalnode_url'], segment, params['timeout'],
                       error or 'its last written transaction is %s' % written),
                segment_txid=segment, last_written_txid=written)
        sleep(params['poll_interval'])


if __name__ == '__main__':
    main()
