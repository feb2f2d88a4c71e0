#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: installed_versions_info
short_description: Which version a host's current links select, and which version each of its daemons runs
version_added: 0.1.0
description:
  - Reads where each of O(links) points (the versioned directory a C(current) link selects) and, for each of
    O(daemons), the versioned directory its running process runs from - read from the command line of the
    unit's main process (the collection's units name the versioned directory, not the link), so a daemon
    started before its host's link changed reports the version it still runs.
  - It only reads. The rolling upgrade (C(datafleet.hadoop.upgrade)) restarts the daemons whose directory is not
    the one the target version installs; C(datafleet.hadoop.site) refuses to switch a link to another version.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  links:
    description:
      - Links to read, by a name of your choice, for example C(hadoop) for V(/opt/hadoop/current).
    type: dict
    default: {}
  daemons:
    description:
      - Daemons to read, as the collection names them (V(namenode), V(datanode), V(zookeeper), ...); the systemd
        unit of each comes from the collection's daemon map.
    type: list
    elements: str
    default: []
  paths:
    description:
      - Files to look for, such as a runtime other tasks would otherwise check one by one; those that exist are
        returned in RV(existing).
    type: list
    elements: path
    default: []
  install_dir:
    description:
      - The directory holding the versioned directories the O(daemons) run from.
    type: path
    default: /opt/hadoop
extends_documentation_fragment:
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Read the versions of this host
  datafleet.hadoop.installed_versions_info:
    links:
      hadoop: /opt/hadoop/current
    daemons: [datanode, nodemanager]
    install_dir: /opt/hadoop
  register: versions

- name: Show what the DataNode runs
  ansible.builtin.debug:
    msg: "{{ versions.daemons.datanode.dir }} (the link selects {{ versions.links.hadoop.dir }})"
'''

RETURN = r'''
links:
  description: For each of O(links), the directory name it points to (C(dir), null when the link does not exist)
    and the version in that name (C(version)).
  returned: always
  type: dict
  sample: {"hadoop": {"path": "/opt/hadoop/current", "dir": "hadoop-3.4.2", "version": "3.4.2"}}
existing:
  description: The paths of O(paths) that exist, in the order given.
  returned: always
  type: list
  elements: str
  sample: [/usr/lib/jvm/java-17-openjdk-amd64/bin/java]
daemons:
  description: For each of O(daemons), its main process (C(pid), 0 when it does not run), the versioned directory
    its command line names (C(dir), null when it does not run; V(current) for a unit that names the link) and
    the version in that name.
  returned: always
  type: dict
  sample: {"datanode": {"unit": "hadoop-hdfs-datanode", "pid": 4242, "dir": "hadoop-3.4.2", "version": "3.4.2"}}
'''

import os
import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._daemons import spec

# A release with its suffix (3.5.0, 3.5.0-SNAPSHOT), not the -bin of an
# artifact's name (apache-zookeeper-3.9.5-bin, spark-4.3.0-bin-hadoop3).
_VERSION = re.compile(r'(\d+\.\d+\.\d+(?:-(?!bin\b)[0-9A-Za-z]+)?)')


def version_of(name):
    match = _VERSION.search(name or '')
    return match.group(1) if match else None


def link_dir(path):
    if not os.path.islink(path):
        return None
    return os.path.basename(os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path))))


def command_line_dirs(pid, install_dir, proc='/proc'):
    """The first path component under install_dir of the paths on process
    pid's command line (its classpath, its home directory property), most
    used first."""
    prefix = os.path.normpath(install_dir) + os.sep
    with open(os.path.join(proc, str(pid), 'cmdline'), 'rb') as handle:
        argv = handle.read().decode('utf-8', 'replace').split('\0')
    counts = {}
    for arg in argv:
        for part in re.split(r'[:=]', arg):
            if part.startswith(prefix):
                top = part[len(prefix):].split(os.sep, 1)[0]
                if top:
                    counts[top] = counts.get(top, 0) + 1
    return sorted(counts, key=lambda top: (-counts[top], top))


def main_pid(module, unit):
    systemctl = module.get_bin_path('systemctl', required=True)
    rc, out, err = module.run_command([systemctl, 'show', '--property=MainPID', '--value', unit])
    if rc != 0:
        module.fail_json(msg='systemctl show %s failed: %s' % (unit, (err or out).strip()))
    try:
        return int(out.strip() or 0)
    except ValueError:
        return 0


def main():
    module = AnsibleModule(
        argument_spec=dict(
            links=dict(type='dict', default={}),
            daemons=dict(type='list', elements='str', default=[]),
            paths=dict(type='list', elements='path', default=[]),
            install_dir=dict(type='path', default='/opt/hadoop'),
        ),
        supports_check_mode=True,
    )
    links = {}
    for name, path in sorted(module.params['links'].items()):
        top = link_dir(path)
        links[name] = {'path': path, 'dir': top, 'version': version_of(top)}
    daemons = {}
    for name in module.params['daemons']:
        try:
            unit = spec(name)['unit']
        except ValueError as e:
            module.fail_json(msg=str(e))
        pid = main_pid(module, unit)
        top = None
        if pid:
            try:
                tops = command_line_dirs(pid, module.params['install_dir'])
            except (IOError, OSError) as e:
                module.fail_json(msg='cannot read the command line of %s (pid %s): %s' % (unit, pid, e))
            top = tops[0] if tops else None
        daemons[name] = {'unit': unit, 'pid': pid, 'dir': top, 'version': version_of(top)}
    existing = [path for path in module.params['paths'] if os.path.exists(path)]
    module.exit_json(changed=False, links=links, daemons=daemons, existing=existing)


if __name__ == '__main__':
    main()
