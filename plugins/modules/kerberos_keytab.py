#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: kerberos_keytab
short_description: Keep a keytab holding the current keys of its principals, owned and readable as a daemon needs
version_added: 0.1.0
description:
  - Lists the keytab at O(path) (C(klist -k -e)) and compares each principal of O(principals) with the key
    version (kvno) it should hold. Exported keytabs carry timestamps, so two exports of the same keys differ in
    bytes; the comparison is by principal and kvno, and a keytab that holds them is left as it is.
  - When a principal is missing or has another kvno, the keytab is replaced, atomically, by O(content) (base64, as
    M(datafleet.hadoop.kerberos_principal) returns it), after checking that O(content) holds every principal at
    its kvno. Without O(content) the module fails and names the principals, unless O(stale_ok=true) or in check
    mode, where it reports them in RV(stale) and leaves the keytab as it is.
  - Sets O(owner), O(group) and O(mode) where they differ. A missing directory of O(path) is created, mode C(0755).
  - With O(verify=true), asks the KDC for a ticket with each principal's key (C(kinit -k -t), into a memory
    cache that ends with the command), so a keytab whose keys the KDC no longer has fails here, before a daemon
    restarts with it.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  path:
    description: The keytab.
    type: path
    required: true
  principals:
    description:
      - The principals the keytab must hold, with their realm, such as V(nn/master1.example.com@EXAMPLE.COM).
    type: list
    elements: str
    required: true
  kvnos:
    description:
      - The key version (kvno) each principal must have, the KDC's; a principal not named here may have any version.
      - A value is a kvno, or the principal's entry in the RV(datafleet.hadoop.kerberos_principal#module:principals)
        that M(datafleet.hadoop.kerberos_principal) returns, so that dictionary can be given as it is.
    type: dict
    default: {}
  content:
    description:
      - The keytab to write when the one at O(path) does not hold the principals at their versions, base64-encoded.
        It is a secret; it is not logged.
    type: str
  owner:
    description: The keytab's owner.
    type: str
  group:
    description: The keytab's group.
    type: str
  mode:
    description: The keytab's mode, as the M(ansible.builtin.file) module takes it.
    type: raw
    default: '0400'
  stale_ok:
    description:
      - Without O(content), report the principals the keytab lacks in RV(stale) and change nothing, instead of
        failing; to find out which keytabs need keys exported, before exporting them.
    type: bool
    default: false
  verify:
    description: Check each principal's key with C(kinit -k -t) against the KDC (not in check mode before a change).
    type: bool
    default: false
extends_documentation_fragment:
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Write the NameNode host's keytab, readable by hdfs only
  datafleet.hadoop.kerberos_keytab:
    path: /etc/security/keytabs/hdfs.keytab
    principals:
      - nn/master1.example.com@EXAMPLE.COM
      - HTTP/master1.example.com@EXAMPLE.COM
    kvnos: "{{ nn_keys.principals }}"
    content: "{{ nn_keys.keytab }}"
    owner: hdfs
    group: hadoop
    mode: "0400"
    verify: true
  no_log: true
'''

RETURN = r'''
principals:
  description: The highest kvno of each principal in the keytab after the run.
  returned: success
  type: dict
  sample: {"nn/master1.example.com@EXAMPLE.COM": 1}
stale:
  description: The principals of O(principals) the keytab did not hold at their kvno before the run.
  returned: success
  type: list
  elements: str
'''

import base64
import binascii
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._kerberos import (
    keytab_kvnos, kinit_check, list_keytab)


def wanted_kvnos(params):
    """{principal: kvno or None} from the principals and kvnos options."""
    wanted = {}
    for name in params['principals']:
        kvno = params['kvnos'].get(name)
        if isinstance(kvno, dict):
            kvno = kvno.get('kvno')
        wanted[name] = None if kvno is None else int(kvno)
    return wanted


def stale_principals(wanted, held):
    """The principals of wanted ({principal: kvno or None}) that held ({principal: kvno}) lacks or holds at
    another kvno."""
    return [name for name, kvno in wanted.items() if name not in held or (kvno is not None and held[name] != kvno)]


def write_keytab(module, path, data):
    """Writes data beside path, checks that it holds the principals, and moves it into place."""
    directory = os.path.dirname(path) or '.'
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    fd, temp = tempfile.mkstemp(prefix='.keytab-', dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, 'wb') as keytab:
            keytab.write(data)
        entries, error = list_keytab(module, temp)
        still = stale_principals(wanted_kvnos(module.params), keytab_kvnos(entries))
        if error or still:
            module.fail_json(msg='the keytab given as content for %s does not hold %s at the versions asked for%s' % (
                path, ', '.join(still), ' (%s)' % error if error else ''))
        module.atomic_move(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            principals=dict(type='list', elements='str', required=True),
            kvnos=dict(type='dict', default={}),
            content=dict(type='str', no_log=True),
            owner=dict(type='str'),
            group=dict(type='str'),
            mode=dict(type='raw', default='0400'),
            stale_ok=dict(type='bool', default=False),
            verify=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    path = module.params['path']
    wanted = wanted_kvnos(module.params)
    before = {}
    if os.path.exists(path):
        entries, error = list_keytab(module, path)
        if error:
            module.fail_json(msg='cannot read the keytab %s: %s' % (path, error))
        before = keytab_kvnos(entries)
    stale = stale_principals(wanted, before)
    after = dict(before)
    changed = False
    if stale and module.params['content'] is None and module.params['stale_ok']:
        module.exit_json(changed=False, principals=before, stale=stale)
    if stale:
        if module.params['content'] is None and not module.check_mode:
            module.fail_json(msg='the keytab %s does not hold %s at the versions asked for, and no content was given '
                                 'to replace it' % (path, ', '.join(stale)), stale=stale, principals=before)
        changed = True
        after.update(wanted)
        if not module.check_mode:
            try:
                data = base64.b64decode(module.params['content'], validate=True)
            except (binascii.Error, ValueError):
                module.fail_json(msg='content is not base64: give the keytab as kerberos_principal returns it')
            write_keytab(module, path, data)
            entries, dummy = list_keytab(module, path)
            after = keytab_kvnos(entries)

    if os.path.exists(path):
        file_args = module.load_file_common_arguments(dict(path=path, owner=module.params['owner'],
                                                           group=module.params['group'], mode=module.params['mode']))
        changed = module.set_fs_attributes_if_different(file_args, changed)

    if module.params['verify'] and not (module.check_mode and stale):
        failures = []
        for principal in wanted:
            message = kinit_check(module, path, principal)
            if message:
                failures.append('%s: %s' % (principal, message))
        if failures:
            module.fail_json(msg='the KDC refused the keys of the keytab %s - %s. A principal whose key changed '
                                 'since the keytab was written needs its keytab exported again' % (path, '; '.join(failures)),
                             principals=after, stale=stale)

    module.exit_json(changed=changed, principals=after, stale=stale,
                     diff={'before': {'path': path, 'principals': before}, 'after': {'path': path, 'principals': after}})


if __name__ == '__main__':
    main()
