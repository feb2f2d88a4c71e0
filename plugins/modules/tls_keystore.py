#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: tls_keystore
short_description: Keep a host's TLS key, certificate, Java key store and trust store
version_added: 0.1.0
description:
  - Keeps in O(path) the host's private key (C(host.key), mode C(0400)), its certificate (C(host.crt)), the CA's
    certificates (C(ca.crt)), a PKCS12 key store (C(keystore.p12), holding the key, its certificate and the CA chain,
    owner root, group O(group), mode C(0440)) and a PKCS12 trust store of the CA's certificates
    (C(truststore.p12), mode C(0444)), as Hadoop's C(ssl-server.xml) and C(ssl-client.xml) name them.
  - The certificate is kept while it matches the key, is signed by O(ca_certificate), holds every name of O(names)
    and ends more than O(renew_before) days from now; the stores are written again only when they do not hold
    that certificate and CA or do not open with their passwords. A re-run changes nothing.
  - When the certificate must be replaced and O(certificate) is not given, the module returns a signing request
    for the names in RV(csr) (making the key when there is none) and sets RV(needs_certificate); a second call
    with the signed O(certificate) installs it (M(datafleet.hadoop.tls_ca) signs requests). A certificate given as
    a file of the site's CA is given with O(certificate) and O(private_key) in one call.
  - A given certificate that does not match the key, is not signed by the CA, lacks one of the names or is
    within O(renew_before) days of its end is refused, and nothing is changed.
  - Passwords reach openssl and keytool through the environment, not their command lines.
author:
  - datafleet.hadoop maintainers (@datafleet)
requirements:
  - openssl, and keytool of a Java runtime, on the host
options:
  path:
    description: The directory of the files, made mode C(0755) when missing.
    type: path
    default: /etc/security/tls
  names:
    description: The host's DNS names; the first is the certificate's common name.
    type: list
    elements: str
    required: true
  ca_certificate:
    description: The CA's certificate (or the chain from the host certificates' issuer to the root), PEM.
    type: str
    required: true
  certificate:
    description: The host's signed certificate, PEM, to install.
    type: str
  private_key:
    description:
      - The host's private key, PEM, when the certificate comes from the site's CA with its key. Not logged.
      - Without it the key is made on the host and never leaves it.
    type: str
  renew_before:
    description: Replace the certificate when it ends within this many days.
    type: int
    default: 30
  keystore_password:
    description: The key store's password (and its key's). Not logged.
    type: str
    required: true
  truststore_password:
    description: The trust store's password. Not logged.
    type: str
    required: true
  group:
    description: The key store's group, whose members (the daemons' users) read it.
    type: str
    default: root
  keytool:
    description: The keytool command; found on the PATH and in O(java_home) when not a path.
    type: str
    default: keytool
  java_home:
    description: A Java runtime whose C(bin/keytool) is used when keytool is not on the PATH.
    type: path
extends_documentation_fragment:
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Compare the host's certificate and stores with the CA and its names
  datafleet.hadoop.tls_keystore:
    names: ["{{ inventory_hostname }}"]
    ca_certificate: "{{ ca.certificate }}"
    keystore_password: "{{ keystore_password }}"
    truststore_password: "{{ truststore_password }}"
    group: hadoop
  register: keystore

- name: Install the signed certificate
  datafleet.hadoop.tls_keystore:
    names: ["{{ inventory_hostname }}"]
    ca_certificate: "{{ ca.certificate }}"
    certificate: "{{ signed.certificates[inventory_hostname] }}"
    keystore_password: "{{ keystore_password }}"
    truststore_password: "{{ truststore_password }}"
    group: hadoop
  when: keystore.needs_certificate
'''

RETURN = r'''
needs_certificate:
  description: Whether the host needs a new certificate, to be given in O(certificate).
  returned: success
  type: bool
reasons:
  description: Why the certificate or the stores were (or would be) replaced.
  returned: success
  type: list
  elements: str
  sample: ["the certificate ends in 12 days"]
csr:
  description: The signing request for O(names) when RV(needs_certificate); empty in check mode without a key.
  returned: success
  type: str
names:
  description: O(names).
  returned: success
  type: list
  elements: str
request:
  description:
    - The request to give M(datafleet.hadoop.tls_ca) in O(datafleet.hadoop.tls_ca#module:sign) when
      RV(needs_certificate) and RV(csr) is not empty, otherwise empty.
  returned: success
  type: dict
  sample: {"names": ["worker1.example.com"], "csr": "-----BEGIN CERTIFICATE REQUEST-----\n..."}
fingerprint:
  description: The SHA-256 fingerprint of the host's certificate after the run, empty without one.
  returned: success
  type: str
not_after:
  description: When the host's certificate ends, in seconds since the epoch.
  returned: when the host has a certificate
  type: int
'''

import grp
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.datafleet.hadoop.plugins.module_utils._tls import (
    MIN_PASSWORD, ToolError, Tools, expires_within, split_pem)


def _read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def certificate_problems(tools, facts, public_key, ca_pem, names, renew_before, now=None):
    """Why the certificate (parsed, with its public key) cannot serve these names under this CA with the key
    whose public key is given (None: there is no key)."""
    found = []
    if public_key is None:
        found.append('there is no private key')
    elif public_key.strip() != facts['public_key'].strip():
        found.append('the certificate is not for the private key')
    missing = [name for name in names if name not in facts['names']]
    if missing:
        found.append('the certificate lacks the names %s (it has %s)'
                     % (', '.join(missing), ', '.join(facts['names']) or 'none'))
    if not tools.chains_to(facts['pem'], ca_pem):
        found.append('the certificate is not signed by the CA (issuer %s)' % facts['issuer'])
    if expires_within(facts, renew_before, now):
        found.append('the certificate ends within %d days' % renew_before)
    return found


def _write(module, path, text, mode):
    directory = os.path.dirname(path)
    temp = os.path.join(directory, '.%s.new' % os.path.basename(path))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w') as handle:
        handle.write(text)
    os.chmod(temp, mode)
    os.rename(temp, path)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', default='/etc/security/tls'),
            names=dict(type='list', elements='str', required=True),
            ca_certificate=dict(type='str', required=True),
            certificate=dict(type='str'),
            private_key=dict(type='str', no_log=True),
            renew_before=dict(type='int', default=30),
            keystore_password=dict(type='str', required=True, no_log=True),
            truststore_password=dict(type='str', required=True, no_log=True),
            group=dict(type='str', default='root'),
            keytool=dict(type='str', default='keytool', no_log=False),
            java_home=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    names = params['names']
    if not names:
        module.fail_json(msg='names is empty; give the host\'s DNS names, the first the one clients connect to')
    for option in ('keystore_password', 'truststore_password'):
        if len(params[option]) < MIN_PASSWORD:
            module.fail_json(msg='%s is shorter than %d characters, which keytool and Java refuse for a key store; '
                                 'give a longer one' % (option, MIN_PASSWORD))
    ca_pem = ''.join(split_pem(params['ca_certificate']))
    if not ca_pem:
        module.fail_json(msg='ca_certificate holds no PEM certificate')
    try:
        gid = grp.getgrnam(params['group']).gr_gid
    except KeyError:
        module.fail_json(msg='the group %s of the key store does not exist on this host' % params['group'])
    keytool = params['keytool']
    if os.sep not in keytool:
        keytool = module.get_bin_path(keytool, opt_dirs=[os.path.join(params['java_home'], 'bin')]
                                      if params['java_home'] else [])
    tools = Tools(module, openssl=module.get_bin_path('openssl', required=True), keytool=keytool)

    directory = params['path']
    paths = dict((name, os.path.join(directory, name)) for name in
                 ('host.key', 'host.crt', 'ca.crt', 'keystore.p12', 'truststore.p12'))
    result = dict(changed=False, needs_certificate=False, reasons=[], csr='', names=names, fingerprint='', request={})
    before = {'certificate': None, 'ca': _read(paths['ca.crt'])}
    try:
        given_key = params['private_key']
        if given_key is not None and not split_pem(given_key, 'PRIVATE KEY') + split_pem(given_key, 'RSA PRIVATE KEY'):
            module.fail_json(msg='private_key is not a PEM private key')
        if given_key is not None:
            given_key = given_key.strip() + '\n'
        key_changes = given_key is not None and _read(paths['host.key']) != given_key
        if given_key is not None:
            public_key = tools.public_key(given_key)
        elif os.path.exists(paths['host.key']):
            public_key = tools.public_key(_read(paths['host.key']))
        else:
            public_key = None

        current = None
        pem = _read(paths['host.crt'])
        if pem and split_pem(pem):
            current = tools.certificate(pem)
            current['pem'] = ''.join(split_pem(pem)[:1])
            before['certificate'] = current['fingerprint']
        new = None
        if params['certificate'] is not None:
            new = tools.certificate(params['certificate'])
            new['pem'] = ''.join(split_pem(params['certificate'])[:1])
            problems = certificate_problems(tools, new, public_key, ca_pem, names, params['renew_before'])
            unchanged = current is not None and new['fingerprint'] == current['fingerprint'] and not key_changes
            if unchanged and problems == ['the certificate ends within %d days' % params['renew_before']]:
                # The certificate in use stays until the site gives a new one.
                module.warn('The certificate of %s ends within %d days; give a new one.'
                            % (names[0], params['renew_before']))
            elif problems:
                module.fail_json(msg='The certificate given for %s cannot be used: %s.'
                                     % (names[0], '; '.join(problems)), **result)
            if unchanged:
                new = None
            else:
                result['reasons'].append('a new certificate was given')
        elif current is None:
            result['reasons'].append('there is no certificate')
        else:
            result['reasons'].extend(certificate_problems(tools, current, public_key, ca_pem, names,
                                                          params['renew_before']))

        if new is None and result['reasons']:
            # A new certificate is needed: a request for it, from the key kept (or made now).
            result['needs_certificate'] = True
            # Only the call that installs the certificate changes the host; in check mode this one says it would.
            result['changed'] = module.check_mode
            if key_changes:
                module.fail_json(msg='The private key given for %s needs its certificate in certificate; %s.'
                                     % (names[0], '; '.join(result['reasons'])), **result)
            if not os.path.exists(paths['host.key']):
                result['changed'] = True
                if module.check_mode:
                    module.exit_json(**result)
                if not os.path.isdir(directory):
                    os.makedirs(directory, 0o755)
                tools.new_key(paths['host.key'])
            result['csr'] = tools.request(paths['host.key'], names)
            result['request'] = {'names': names, 'csr': result['csr']}
            if current:
                result['fingerprint'], result['not_after'] = current['fingerprint'], current['not_after']
            module.exit_json(**result)

        installed = new or current
        stores = []
        if new is not None:
            stores = ['keystore.p12']
        if _read(paths['ca.crt']) != ca_pem:
            result['reasons'].append('the CA certificates differ')
            stores = ['keystore.p12', 'truststore.p12']
        if 'keystore.p12' not in stores:
            held = tools.pkcs12_certificates(paths['keystore.p12'], params['keystore_password']) \
                if os.path.exists(paths['keystore.p12']) else None
            if held is None or installed['pem'] not in held:
                result['reasons'].append('the key store does not hold the certificate or does not open with '
                                         'its password')
                stores.append('keystore.p12')
        if 'truststore.p12' not in stores:
            held = tools.pkcs12_certificates(paths['truststore.p12'], params['truststore_password']) \
                if os.path.exists(paths['truststore.p12']) else None
            if held is None or sorted(held) != sorted(split_pem(ca_pem)):
                result['reasons'].append('the trust store does not hold the CA certificates or does not open '
                                         'with its password')
                stores.append('truststore.p12')
        owner_fixes = []
        if os.path.exists(paths['keystore.p12']) and 'keystore.p12' not in stores:
            status = os.stat(paths['keystore.p12'])
            if status.st_uid != 0 or status.st_gid != gid or status.st_mode & 0o777 != 0o440:
                owner_fixes.append('keystore.p12')
                result['reasons'].append('the key store\'s owner, group or mode differ')

        if stores or new is not None or owner_fixes:
            result['changed'] = True
            result['diff'] = dict(before=before, after={'certificate': installed['fingerprint'], 'ca': ca_pem})
            if not module.check_mode:
                if not os.path.isdir(directory):
                    os.makedirs(directory, 0o755)
                if key_changes:
                    _write(module, paths['host.key'], given_key, 0o400)
                if new is not None:
                    _write(module, paths['host.crt'], installed['pem'], 0o444)
                _write(module, paths['ca.crt'], ca_pem, 0o444)
                if 'keystore.p12' in stores:
                    tools.write_keystore(paths['keystore.p12'], paths['host.key'], installed['pem'], ca_pem,
                                         params['keystore_password'])
                if 'truststore.p12' in stores:
                    tools.write_truststore(paths['truststore.p12'], ca_pem, params['truststore_password'])
                    os.chmod(paths['truststore.p12'], 0o444)
                os.chown(paths['keystore.p12'], 0, gid)
                os.chmod(paths['keystore.p12'], 0o440)
        result['fingerprint'], result['not_after'] = installed['fingerprint'], installed['not_after']
    except (ToolError, OSError) as error:
        module.fail_json(msg=str(error), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
