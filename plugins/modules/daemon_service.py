#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: daemon_service
short_description: Make a Hadoop, Spark or ZooKeeper daemon's unit, directories and state what they should be, and check it works, in one call
version_added: 0.1.0
description:
  - With O(unit_content), first makes the daemon's directories (O(directories)) and its unit file what they
    should be, as M(datafleet.hadoop.managed_files) does.
  - Makes the daemon's systemd unit enabled (or disabled) and started, restarted or stopped, as
    M(ansible.builtin.systemd_service) does, reloading systemd's configuration first when asked or when the
    unit file changed.
  - Without O(state), the state comes from the daemon's markers on the host. It is stopped and disabled when
    O(retired_marker) exists; restarted when the unit file changed, O(restart_marker) exists or
    O(restart_requested); with O(defer_restart) a running daemon keeps running instead and the restart stays
    pending (the marker is written when the unit changed), for a rolling restart. A restart done, or made moot
    by a start from stopped, removes O(restart_marker).
  - Then, unless the daemon is stopped, checks it is up the way M(datafleet.hadoop.daemon_info) does, and
    with O(wait=true) waits until it is ready, failing with the unit's last journal lines and the daemon's
    log when it crashes or O(timeout) passes. A converged daemon therefore costs one module call.
  - In check mode nothing is changed; a daemon whose unit would change state is not checked.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  state:
    description:
      - V(started) starts a unit that is not running, V(restarted) restarts it (or starts it), V(stopped)
        stops a running one.
      - Not given, it comes from the markers (see the description); O(restart_marker) and O(retired_marker)
        are then required.
    type: str
    choices: [started, restarted, stopped]
  enabled:
    description:
      - Whether the unit starts at boot; unchanged when not given, unless the state comes from the markers
        (then a retired daemon is disabled and any other enabled).
    type: bool
  unit_content:
    description:
      - The unit file's content, written to C(/etc/systemd/system/<unit>.service) when it differs (owner root,
        mode C(0644)).
    type: str
  restart_marker:
    description:
      - The file that records a restart pending for the daemon.
    type: path
  reload_marker:
    description:
      - The file that records a reload pending for the daemon; only reported (RV(reload_pending)).
    type: path
  retired_marker:
    description:
      - The file that records the daemon as retired (taken out of the cluster).
    type: path
  defer_restart:
    description:
      - Leave a due restart of a running daemon pending, for a rolling restart.
    type: bool
    default: false
  restart_requested:
    description:
      - A restart of the daemon was recorded in this run (in check mode the marker was not written).
    type: bool
    default: false
  daemon_reload:
    description:
      - Reload systemd's configuration first (after the unit file changed).
    type: bool
    default: false
  wait:
    description:
      - Wait until the daemon is ready, and fail when it crashes or O(timeout) passes. Without it, the
        readiness is reported once.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 300
extends_documentation_fragment:
  - datafleet.hadoop.directories.local
  - datafleet.hadoop.daemon
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.daemon_info
  - module: ansible.builtin.systemd_service
'''

EXAMPLES = r'''
- name: Run the DataNode and wait until it works
  datafleet.hadoop.daemon_service:
    name: datanode
    state: started
    enabled: true
    url: http://dn1.example.com:9864
    log_file: /var/log/hadoop/hdfs/hdfs-datanode.log
  register: datanode
'''

RETURN = r'''
unit_changed:
  description: Whether the unit file changed (or would, in check mode).
  returned: always
  type: bool
due:
  description: Whether a restart was due (the unit changed, a restart was pending or requested); null with an
    explicit O(state).
  returned: always
  type: bool
deferred:
  description: Whether a due restart was left pending for a rolling restart.
  returned: always
  type: bool
retired:
  description: Whether O(retired_marker) exists.
  returned: always
  type: bool
reload_pending:
  description: Whether O(reload_marker) exists.
  returned: always
  type: bool
marker:
  description: What happened to O(restart_marker) (or would, in check mode) - V(write) (a deferred restart of a
    changed unit kept), V(remove) (a pending restart done) - or null.
  returned: always
  type: str
actions:
  description: The systemctl actions taken (or that would be, in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [enable, start]
unit:
  description: The systemd unit.
  returned: always
  type: str
  sample: hadoop-hdfs-datanode
ready:
  description: Whether the daemon answered as a working daemon does; null when it was not checked (stopped, or
    changed in check mode).
  returned: always
  type: bool
active_state:
  description: The unit's ActiveState and SubState at the readiness check.
  returned: when the daemon was checked
  type: str
  sample: active/running
pid:
  description: The daemon's main process at the readiness check.
  returned: when the daemon was checked
  type: int
detail:
  description: What the readiness check saw, or why the daemon is not ready.
  returned: when the daemon was checked
  type: str
  sample: the DataNode is connected to nn1.example.com:8020
waited:
  description: Seconds spent waiting for the daemon.
  returned: when the daemon was checked
  type: float
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._files import ensure_all
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import write_text
from ansible_collections.datafleet.hadoop.plugins.module_utils._service import (
    Daemon, daemon_state, marker_actions, readiness_argument_spec)


def main():
    argument_spec = readiness_argument_spec()
    argument_spec.update(
        state=dict(type='str', choices=['started', 'restarted', 'stopped']),
        enabled=dict(type='bool'),
        daemon_reload=dict(type='bool', default=False),
        wait=dict(type='bool', default=True),
        unit_content=dict(type='str'),
        directories=dict(type='list', elements='dict', default=[],
                         options=dict(path=dict(type='path', required=True), owner=dict(type='str'),
                                      group=dict(type='str'), mode=dict(type='raw'))),
        restart_marker=dict(type='path'),
        reload_marker=dict(type='path'),
        retired_marker=dict(type='path'),
        defer_restart=dict(type='bool', default=False),
        restart_requested=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('name', 'nodemanager', ('node',))])
    params = module.params
    if params['state'] is None and not (params['restart_marker'] and params['retired_marker']):
        module.fail_json(msg='without state, restart_marker and retired_marker are required: the state comes '
                             'from them')
    daemon = Daemon(module)
    unit_file = '/etc/systemd/system/%s.service' % daemon.unit
    files = [] if params['unit_content'] is None else [
        {'dest': unit_file, 'content': params['unit_content'], 'owner': 'root', 'group': 'root', 'mode': '0644'}]
    made = ensure_all(module, params['directories'], files)
    unit_changed = unit_file in made['changed_paths']

    def exists(path):
        return bool(path) and os.path.lexists(path)

    restart_pending, retired = exists(params['restart_marker']), exists(params['retired_marker'])
    due = None
    state, enabled = params['state'], params['enabled']
    if state is None:
        state, due = daemon_state(unit_changed, restart_pending, retired, params['defer_restart'],
                                  params['restart_requested'])
        enabled = not retired if enabled is None else enabled
    actions = daemon.converge(state, enabled, params['daemon_reload'] or unit_changed)
    deferred = bool(due and params['defer_restart'] and not retired and not actions)
    marker = marker_actions(unit_changed, restart_pending, retired, deferred) if due is not None else None
    if marker and not module.check_mode:
        if marker == 'write':
            write_text(module, params['restart_marker'], 'the %s unit changed\n' % daemon.unit)
        else:
            os.unlink(params['restart_marker'])
    result = dict(changed=bool(made['changed_paths'] or actions or marker), actions=actions, unit=daemon.unit,
                  unit_changed=unit_changed, due=due, deferred=deferred, retired=retired,
                  reload_pending=exists(params['reload_marker']), marker=marker, ready=None)
    if module._diff and made['diffs']:
        result['diff'] = made['diffs']
    if state != 'stopped' and not (module.check_mode and actions):
        result.update(daemon.check(params['wait']))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
