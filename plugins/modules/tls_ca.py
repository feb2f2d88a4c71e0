#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: tls_ca
short_description: A small certificate authority on one host that signs the cluster's host certificates
version_added: 0.1.0
description:
  - Keeps a CA in O(path) (C(ca.key), RSA 3072, mode C(0400), and the self-signed C(ca.crt)), made once with
    C(openssl) when the key is missing, and returns its certificate. An existing CA is never replaced.
  - Signs the certificate signing requests of O(sign) (as M(datafleet.hadoop.tls_keystore) returns them) for the
    names given with them, and returns the certificates. A request whose signature does not verify, or whose
    subject is not the first of its names, is refused. The certificates get the names given, for server and
    client authentication, and cannot sign; nothing else of the request is copied into them.
  - For a sandbox or a site without a certificate authority of its own. Its key never leaves O(path).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  path:
    description: The CA's directory, made mode C(0700) when missing.
    type: path
    default: /var/lib/datafleet-hadoop/ca
  name:
    description: The CA certificate's common name, when it is made.
    type: str
    default: datafleet.hadoop cluster CA
  validity_days:
    description: How long the CA certificate is valid, when it is made.
    type: int
    default: 3650
  sign:
    description: Certificate signing requests to sign.
    type: list
    elements: dict
    default: []
    suboptions:
      host:
        description: The key of its certificate in RV(certificates); the first name when not given.
        type: str
      names:
        description: The DNS names of the certificate; the first is its subject's common name.
        type: list
        elements: str
        required: true
      csr:
        description: The signing request, PEM.
        type: str
        required: true
  certificate_validity_days:
    description: How long the certificates signed are valid.
    type: int
    default: 365
extends_documentation_fragment:
  - datafleet.hadoop.attributes.actionable
notes:
  - Signing is not a change of the host; in check mode nothing is made or signed, and a missing CA is reported as
    a change.
'''

EXAMPLES = r'''
- name: Sign the certificates the hosts asked for
  datafleet.hadoop.tls_ca:
    sign:
      - names: [worker1.example.com]
        csr: "{{ hostvars['worker1'].keystore.csr }}"
  delegate_to: master1.example.com
  run_once: true
  register: signed
'''

RETURN = r'''
certificate:
  description: The CA's certificate, PEM; empty in check mode before the CA exists.
  returned: success
  type: str
certificates:
  description: The signed certificates, PEM, by O(sign[].host).
  returned: success
  type: dict
not_after:
  description: When the CA certificate ends, in seconds since the epoch.
  returned: when the CA exists
  type: int
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._tls import ToolError, Tools


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', default='/var/lib/datafleet-hadoop/ca'),
            name=dict(type='str', default='datafleet.hadoop cluster CA'),
            validity_days=dict(type='int', default=3650),
            sign=dict(type='list', elements='dict', default=[], options=dict(
                host=dict(type='str'),
                names=dict(type='list', elements='str', required=True),
                csr=dict(type='str', required=True),
            )),
            certificate_validity_days=dict(type='int', default=365),
        ),
        supports_check_mode=True,
    )
    params = module.params
    key_path = os.path.join(params['path'], 'ca.key')
    cert_path = os.path.join(params['path'], 'ca.crt')
    tools = Tools(module, openssl=module.get_bin_path('openssl', required=True))
    result = dict(changed=False, certificate='', certificates={})
    try:
        found = [path for path in (key_path, cert_path) if os.path.exists(path)]
        if len(found) == 1:
            module.fail_json(msg='The CA in %s is incomplete: %s exists without %s. Restore the missing file from a '
                                 'backup; only if there is none, remove %s so a new CA is made (every host then gets '
                                 'a new certificate and trust store).'
                                 % (params['path'], os.path.basename(found[0]),
                                    'ca.crt' if found[0] == key_path else 'ca.key', found[0]))
        if not found:
            result['changed'] = True
            result['diff'] = dict(before={'ca': None}, after={'ca': params['name']})
            if module.check_mode:
                module.exit_json(**result)
            if not os.path.isdir(params['path']):
                os.makedirs(params['path'], 0o700)
            tools.new_ca(key_path, cert_path, params['name'], params['validity_days'])
        with open(cert_path) as handle:
            result['certificate'] = handle.read()
        result['not_after'] = tools.certificate(result['certificate'])['not_after']
        if not module.check_mode:
            for request in params['sign']:
                if not request['names']:
                    module.fail_json(msg='no names given for the certificate of %s' % (request['host'] or 'a request'),
                                     **result)
                result['certificates'][request['host'] or request['names'][0]] = tools.sign(
                    key_path, cert_path, request['csr'], request['names'], params['certificate_validity_days'])
    except (ToolError, OSError) as error:
        module.fail_json(msg=str(error), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
