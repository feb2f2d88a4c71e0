#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: managed_files
short_description: Make a host's directories and files what they should be, in one call
version_added: 0.1.0
description:
  - Compares each directory of O(directories) and each file of O(files) with what it should be (content,
    owner, group, mode) and changes only what differs. Missing directories are created (their missing parents
    owned by the connecting user, mode C(0755)), a file whose content differs is replaced atomically, and
    owner, group and mode are set where they differ.
  - The contents come rendered from the controller (a template lookup), so a host whose files are all in
    place costs one module call, not one per file and directory.
  - With C(--diff), each changed file's content before and after and each changed attribute are shown.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  directories:
    description:
      - Directories, created first (the files may live in them).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The directory.
        type: path
        required: true
      owner:
        description: Its owner; unchanged when not given.
        type: str
      group:
        description: Its group; unchanged when not given.
        type: str
      mode:
        description: Its mode, as the M(ansible.builtin.file) module takes it (a quoted octal string such as C("0755")).
        type: raw
  files:
    description:
      - Files and their content.
    type: list
    elements: dict
    default: []
    suboptions:
      dest:
        description: The file.
        type: path
        required: true
      content:
        description: What the file holds.
        type: str
        required: true
      owner:
        description: Its owner; unchanged when not given.
        type: str
      group:
        description: Its group; unchanged when not given.
        type: str
      mode:
        description: Its mode, as the M(ansible.builtin.file) module takes it (a quoted octal string such as C("0644")).
        type: raw
  keep_previous:
    description:
      - Files of O(files) whose content before this call is returned in RV(previous) when it changes.
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: ansible.builtin.template
  - module: ansible.builtin.file
'''

EXAMPLES = r'''
- name: Configure the service
  datafleet.hadoop.managed_files:
    directories:
      - {path: /etc/myservice, owner: root, group: myservice, mode: "0755"}
    files:
      - dest: /etc/myservice/settings.xml
        content: "{{ lookup('ansible.builtin.template', 'settings.xml.j2') }}"
        owner: root
        group: myservice
        mode: "0644"
    keep_previous: [/etc/myservice/settings.xml]
  register: configured
'''

RETURN = r'''
changed_paths:
  description: The directories and files this call changed (or would change in check mode), in the order given.
  returned: always
  type: list
  elements: str
  sample: [/etc/myservice/settings.xml]
previous:
  description: For the changed files of O(keep_previous), their content before the call (null when they did not exist).
  returned: always
  type: dict
  sample: {/etc/myservice/settings.xml: "<configuration/>"}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._files import ensure_all

_OWNERSHIP = dict(owner=dict(type='str'), group=dict(type='str'), mode=dict(type='raw'))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            directories=dict(type='list', elements='dict', default=[],
                             options=dict(path=dict(type='path', required=True), **_OWNERSHIP)),
            files=dict(type='list', elements='dict', default=[],
                       options=dict(dest=dict(type='path', required=True), content=dict(type='str', required=True),
                                    **_OWNERSHIP)),
            keep_previous=dict(type='list', elements='path', default=[]),
        ),
        supports_check_mode=True,
    )
    result = ensure_all(module, module.params['directories'], module.params['files'], module.params['keep_previous'])
    diffs = result.pop('diffs')
    if module._diff and diffs:
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
