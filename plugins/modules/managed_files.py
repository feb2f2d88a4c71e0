#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: managed_files
short_description: Make a host's service accounts, directories and files what they should be, in one call
version_added: 0.1.0
description:
  - Creates the system groups of O(groups) and the users of O(users) that are missing, and corrects an existing
    user's primary group, home and shell where they differ, before the directories and files (which may be
    owned by them).
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
  groups:
    description:
      - Groups, created first when missing. An existing group is left as it is.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The group.
        type: str
        required: true
      system:
        description: Create it as a system group.
        type: bool
        default: true
  users:
    description:
      - Users, created after the groups when missing; an existing user's primary group, home and shell are
        corrected where they differ (its home directory is not moved).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The user.
        type: str
        required: true
      group:
        description: Its primary group.
        type: str
      home:
        description: Its home directory.
        type: path
      shell:
        description: Its login shell.
        type: str
      system:
        description: Create it as a system user.
        type: bool
        default: true
      create_home:
        description: Create its home directory (and missing parents, owned by root) when the user is created.
        type: bool
        default: false
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
  links:
    description:
      - Symbolic links, made after the files; one that points elsewhere is replaced atomically. A link is owned
        by the user running the module.
    type: list
    elements: dict
    default: []
    suboptions:
      dest:
        description: The link.
        type: path
        required: true
      src:
        description: What it points at, stored as given.
        type: path
        required: true
      requires:
        description:
          - A path that must exist for the link to be made, such as the marker of a complete installation it
            points into; when it does not, the link is left as it is and the path is returned in RV(missing).
        type: path
  present:
    description:
      - Paths only looked up, never changed, such as a file a later task builds once; those that do not exist
        are returned in RV(missing).
    type: list
    elements: path
    default: []
  keep_previous:
    description:
      - Files of O(files) whose content before this call is returned in RV(previous) when it changes.
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - datafleet.hadoop.directories.local
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: ansible.builtin.template
  - module: ansible.builtin.file
'''

EXAMPLES = r'''
- name: Configure the service
  datafleet.hadoop.managed_files:
    groups:
      - {name: myservice}
    users:
      - {name: myservice, group: myservice, home: /var/lib/myservice, shell: /usr/sbin/nologin, create_home: true}
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
changed_accounts:
  description: The groups and users this call created or changed (or would in check mode), as C(group:<name>)
    and C(user:<name>).
  returned: always
  type: list
  elements: str
  sample: [user:myservice]
changed_paths:
  description: The directories and files this call changed (or would change in check mode), in the order given.
  returned: always
  type: list
  elements: str
  sample: [/etc/myservice/settings.xml]
missing:
  description: The C(requires) paths of O(links) that do not exist (their links were not made), then the paths of
    O(present) that do not exist.
  returned: always
  type: list
  elements: str
  sample: [/opt/hadoop/hadoop-3.5.0/.datafleet-0123456789abcdef0123456789abcdef]
previous:
  description: For the changed files of O(keep_previous), their content before the call (null when they did not exist).
  returned: always
  type: dict
  sample: {/etc/myservice/settings.xml: "<configuration/>"}
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._accounts import ensure_group, ensure_user
from ansible_collections.datafleet.hadoop.plugins.module_utils._files import ensure_all, ensure_link

_OWNERSHIP = dict(owner=dict(type='str'), group=dict(type='str'), mode=dict(type='raw'))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            groups=dict(type='list', elements='dict', default=[],
                        options=dict(name=dict(type='str', required=True), system=dict(type='bool', default=True))),
            users=dict(type='list', elements='dict', default=[],
                       options=dict(name=dict(type='str', required=True), group=dict(type='str'),
                                    home=dict(type='path'), shell=dict(type='str'),
                                    system=dict(type='bool', default=True),
                                    create_home=dict(type='bool', default=False))),
            directories=dict(type='list', elements='dict', default=[],
                             options=dict(path=dict(type='path', required=True), **_OWNERSHIP)),
            files=dict(type='list', elements='dict', default=[],
                       options=dict(dest=dict(type='path', required=True), content=dict(type='str', required=True),
                                    **_OWNERSHIP)),
            links=dict(type='list', elements='dict', default=[],
                       options=dict(dest=dict(type='path', required=True), src=dict(type='path', required=True),
                                    requires=dict(type='path'))),
            present=dict(type='list', elements='path', default=[]),
            keep_previous=dict(type='list', elements='path', default=[]),
        ),
        supports_check_mode=True,
    )
    accounts, account_diffs = [], []
    for kind, ensure in (('group', ensure_group), ('user', ensure_user)):
        for spec in module.params[kind + 's']:
            changed, diff = ensure(module, spec)
            if changed:
                accounts.append('%s:%s' % (kind, spec['name']))
                account_diffs.append(diff)
    result = ensure_all(module, module.params['directories'], module.params['files'], module.params['keep_previous'])
    result['changed_accounts'] = accounts
    result['missing'] = []
    for spec in module.params['links']:
        if spec['requires'] and not os.path.lexists(spec['requires']):
            result['missing'].append(spec['requires'])
            continue
        changed, diff = ensure_link(module, spec)
        if changed:
            result['changed_paths'].append(spec['dest'])
            account_diffs.append(diff)
    result['missing'].extend(path for path in module.params['present'] if not os.path.lexists(path))
    result['changed'] = bool(result['changed_paths'] or accounts)
    diffs = account_diffs + result.pop('diffs')
    if module._diff and diffs:
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
