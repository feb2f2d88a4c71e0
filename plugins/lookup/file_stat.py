# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: file_stat
version_added: 0.1.0
short_description: Size and modification time of files on the controller
description:
  - Looks up files on the controller without a module run, following symbolic links, for tasks that decide
    from a file's size and modification time whether it needs hashing again.
  - A missing file gives C(exists=false), not an error.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  _terms:
    description: Paths on the controller.
    type: list
    elements: path
    required: true
'''

EXAMPLES = r'''
- name: Hash the artifact only when it changed since its stamp
  ansible.builtin.stat:
    path: /srv/cache/hadoop-3.5.0.tar.gz
    checksum_algorithm: sha512
  vars:
    artifact: "{{ lookup('datafleet.hadoop.file_stat', '/srv/cache/hadoop-3.5.0.tar.gz') }}"
  when: not artifact.exists or lookup('ansible.builtin.file', '/srv/cache/hadoop-3.5.0.tar.gz.verified') != artifact.size ~ ' ' ~ artifact.mtime
'''

RETURN = r'''
_list:
  description:
    - One dictionary per path, with C(exists), C(size) in bytes and C(mtime) in seconds since the epoch (the
      value the M(ansible.builtin.stat) module reports); size and mtime are 0 for a missing file.
  type: list
  elements: dict
'''

import os

from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        found = []
        for path in terms:
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                found.append({'exists': False, 'size': 0, 'mtime': 0})
                continue
            found.append({'exists': True, 'size': stat.st_size, 'mtime': stat.st_mtime})
        return found
