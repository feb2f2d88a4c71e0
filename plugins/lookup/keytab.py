# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: keytab
version_added: 0.1.0
short_description: Read a keytab file on the controller - its principals, their key versions, its content
description:
  - Reads MIT keytab files (format 0x0502, as C(kadmin ktadd), C(ktutil), Active Directory's C(ktpass) and FreeIPA's
    C(ipa-getkeytab) write them) on the controller, without the Kerberos tools.
  - Returns each file's principals with their highest key version (kvno), for M(datafleet.hadoop.kerberos_keytab)
    to compare a host's keytab with, and the file base64-encoded for it to write. The content is a secret; pass it
    only to that module's O(datafleet.hadoop.kerberos_keytab#module:content) option, which is never logged.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  _terms:
    description: Paths of keytab files on the controller.
    type: list
    elements: path
    required: true
'''

EXAMPLES = r'''
- name: Put a keytab made by the site's KDC administrators on a host
  datafleet.hadoop.kerberos_keytab:
    path: /etc/security/keytabs/hdfs.keytab
    principals: "{{ keytab.principals | list }}"
    kvnos: "{{ keytab.principals }}"
    content: "{{ keytab.content }}"
    owner: hdfs
  vars:
    keytab: "{{ lookup('datafleet.hadoop.keytab', 'files/keytabs/master1.hdfs.keytab') }}"
'''

RETURN = r'''
_list:
  description: One dictionary per file.
  type: list
  elements: dict
  contains:
    principals:
      description: Each principal in the file, with its realm, and its highest kvno.
      type: dict
      sample: {"nn/master1.example.com@EXAMPLE.COM": 3}
    content:
      description: The file, base64-encoded.
      type: str
'''

import base64

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.datafleet.hadoop.plugins.module_utils._kerberos import keytab_kvnos, parse_keytab


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        found = []
        for path in terms:
            try:
                with open(path, 'rb') as keytab:
                    data = keytab.read()
                principals = keytab_kvnos(parse_keytab(data))
            except (IOError, OSError, ValueError) as e:
                raise AnsibleLookupError('cannot read the keytab %s: %s' % (path, e))
            found.append({'principals': principals, 'content': base64.b64encode(data).decode('ascii')})
        return found
