#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: kerberos_principal
short_description: Create MIT Kerberos principals once, and export their keys without changing them
version_added: 0.1.0
description:
  - Reads each principal of O(principals) from the KDC and creates the missing ones with a random key
    (C(addprinc -randkey)). An existing principal is never changed, so its key version (kvno) and every keytab
    that holds its key stay valid.
  - With O(export=true), also exports the principals' current keys (C(ktadd -norandkey)) and returns the keytab,
    base64-encoded, in RV(keytab), for M(datafleet.hadoop.kerberos_keytab) to write on the host that uses it.
    Run such a task with C(no_log=true), since the keytab is a secret.
  - Runs C(kadmin.local) on the KDC host (O(kadmin=local)), or C(kadmin) with the keytab of an admin principal
    (O(kadmin=remote)), which the KDC's C(kadm5.acl) must allow to add principals and to extract keys (C(ae));
    without C(e), C(ktadd -norandkey) is refused, and a plain C(ktadd) would change the key.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  principals:
    description:
      - Principals with their realm, such as V(nn/master1.example.com@EXAMPLE.COM).
    type: list
    elements: str
    required: true
  export:
    description:
      - Return the principals' current keys as a keytab in RV(keytab). Nothing is exported in check mode.
    type: bool
    default: false
  kadmin:
    description:
      - V(local) runs C(kadmin.local) (on the KDC host, as root); V(remote) runs C(kadmin) with
        O(admin_principal) and O(admin_keytab).
    type: str
    choices: [local, remote]
    default: local
  realm:
    description: The realm kadmin works in, when it is not the default realm of C(krb5.conf).
    type: str
  admin_principal:
    description: The admin principal of O(kadmin=remote).
    type: str
  admin_keytab:
    description: A keytab holding the key of O(admin_principal), on the host the module runs on.
    type: path
  admin_server:
    description: The kadmin server of O(kadmin=remote), when C(krb5.conf) does not name it.
    type: str
extends_documentation_fragment:
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Create the principals of a NameNode host and export their keys
  datafleet.hadoop.kerberos_principal:
    principals:
      - nn/master1.example.com@EXAMPLE.COM
      - HTTP/master1.example.com@EXAMPLE.COM
    export: true
  delegate_to: kdc1.example.com
  register: nn_keys
  no_log: true
'''

RETURN = r'''
principals:
  description: Each principal's key version and encryption types at the KDC after the run (kvno 1 for a principal
    created by this run; none in check mode).
  returned: success
  type: dict
  sample: {"nn/master1.example.com@EXAMPLE.COM": {"kvno": 1, "enctypes": ["aes256-cts-hmac-sha1-96"]}}
created:
  description: The principals created by this run (or, in check mode, that would be).
  returned: success
  type: list
  elements: str
keytab:
  description: With O(export=true), the keytab holding the principals' current keys, base64-encoded.
  returned: when O(export=true), not in check mode
  type: str
'''

import base64
import os
import re
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._kerberos import Kadmin, kadmin_argument_spec, short

# primary[/instance]@REALM, without characters kadmin's query parser splits on.
_NAME = re.compile(r'^[^\s/@"\']+(/[^\s/@"\']+)?@[^\s/@"\']+$')


def main():
    argument_spec = kadmin_argument_spec()
    argument_spec.update(
        principals=dict(type='list', elements='str', required=True),
        export=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    principals = module.params['principals']
    bad = [p for p in principals if not _NAME.match(p)]
    if bad:
        module.fail_json(msg='not principal names of the form primary/instance@REALM: %s' % ', '.join(bad))

    kadmin = Kadmin(module)
    found = {}
    created = []
    for principal in principals:
        record = kadmin.get(principal)
        if record is None:
            created.append(principal)
            if module.check_mode:
                continue
            kadmin.add(principal)
            record = kadmin.get(principal)
            if record is None:
                module.fail_json(msg='kadmin created %s but cannot read it back' % principal)
        found[principal] = {'kvno': record['kvno'], 'enctypes': record['enctypes']}

    result = dict(changed=bool(created), principals=found, created=created,
                  diff={'before': {'principals': sorted(p for p in principals if p not in created)},
                        'after': {'principals': sorted(principals)}})
    if module.params['export'] and not module.check_mode:
        # A private directory: kadmin writes the keys there, the module reads them back and removes it.
        workdir = tempfile.mkdtemp(prefix='datafleet-keytab-')
        try:
            path = os.path.join(workdir, 'export.keytab')
            written = kadmin.export(principals, path)
            moved = ['%s (kvno %s, exported %s)' % (p, found[p]['kvno'], written.get(p, written.get(short(p))))
                     for p in principals if written.get(p, written.get(short(p))) != found[p]['kvno']]
            if moved:
                module.fail_json(msg='the keys of %s changed at the KDC while they were exported; run again'
                                 % ', '.join(moved))
            with open(path, 'rb') as keytab:
                result['keytab'] = base64.b64encode(keytab.read()).decode('ascii')
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
