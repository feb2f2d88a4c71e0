#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: yarn_node_admin
short_description: Gracefully decommission or recommission YARN NodeManagers
version_added: 0.1.0
description:
  - Declares which NodeManagers are decommissioned in the ResourceManager's XML exclude file
    (C(yarn.resourcemanager.nodes.exclude-path)), with a graceful timeout per host, keeps the
    include file (C(yarn.resourcemanager.nodes.include-path)) listing the cluster's NodeManagers,
    and refreshes the ResourceManager with C(rmadmin -refreshNodes -g TIMEOUT -server). The
    ResourceManager itself tracks the timeout, so running containers can finish and no new ones
    start on the leaving nodes, even if this module is interrupted.
  - With O(wait) it polls the ResourceManager's REST API until every host reached the state and
    returns per-node progress (state, running containers, seconds of the timeout left).
  - Refuses, before changing anything, a host that is not part of the cluster and a request that
    would leave no RUNNING NodeManager.
  - Run it on every ResourceManager host with the same arguments (the files are local).
  - Run it as root (C(become=true)), which it needs to write the include and exclude files. With
    simple authentication the admin tool acts as the YARN administrator through O(admin_user).
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  hosts:
    description:
      - NodeManager host names, as the ResourceManager lists them (C(nodeHostName)).
    type: list
    elements: str
    default: []
  state:
    description:
      - V(decommissioned) excludes the hosts; V(in_service) takes them out of the exclude file. A
        NodeManager that finished decommissioning has shut down and must be started again to
        rejoin.
    type: str
    choices: [in_service, decommissioned]
    default: in_service
  members:
    description:
      - Every NodeManager of the cluster (the inventory's NodeManager group). Members missing from
        the include file are added; excluded hosts stay excluded, so a deployment run never undoes
        a decommission. Decommissioned hosts that are no longer members leave both files.
    type: list
    elements: str
  include_file:
    description:
      - The include file (C(yarn.resourcemanager.nodes.include-path)), one host per line.
    type: path
    default: /etc/hadoop/conf/yarn.include
  exclude_file:
    description:
      - The XML exclude file (C(yarn.resourcemanager.nodes.exclude-path), name ending in C(.xml)).
    type: path
    default: /etc/hadoop/conf/yarn.exclude.xml
  file_group:
    description:
      - Group of the files when they are created.
    type: str
  decommission_timeout:
    description:
      - Seconds the ResourceManager lets running containers and applications finish on a leaving
        node before it is decommissioned anyway.
    type: int
    default: 3600
  refresh:
    description:
      - Run C(rmadmin -refreshNodes) after a file changed, or when the ResourceManager's view
        differs from the files (an earlier run was interrupted before the refresh).
    type: bool
    default: true
  resourcemanager_url:
    description:
      - Base HTTP(S) URL of the ResourceManager web server.
    type: str
    default: http://localhost:8088
  wait:
    description:
      - Wait until every host reached O(state).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait with O(wait).
    type: int
    default: 3900
  fail_on_timeout:
    description:
      - Fail when O(wait_timeout) passes. With V(false) the module returns with RV(complete=false).
    type: bool
    default: true
  poll_interval:
    description:
      - Seconds between two reads of the ResourceManager while waiting.
    type: int
    default: 5
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)), so the module
        can run as root, which it needs to write the files, and still be the YARN administrator.
        A Kerberized cluster ignores it and uses the ticket cache.
    type: str
    default: yarn
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.hdfs_datanode_admin
  - module: datafleet.hadoop.yarn_info
'''

EXAMPLES = r'''
# Runs as root (it writes the include and exclude files) and acts as the YARN administrator
# through admin_user.
- name: Let containers on worker7 finish for up to 30 minutes, then decommission it
  datafleet.hadoop.yarn_node_admin:
    hosts: [worker7.example.com]
    state: decommissioned
    decommission_timeout: 1800
    resourcemanager_url: http://rm1.example.com:8088
    admin_user: yarn
  become: true

- name: Take worker7 back (start its NodeManager afterwards)
  datafleet.hadoop.yarn_node_admin:
    hosts: [worker7.example.com]
    state: in_service
    wait: false
  become: true
'''

RETURN = r'''
complete:
  description: Whether every host reached O(state).
  returned: always
  type: bool
changes:
  description: Host entries changed, as host, before and after state (null when absent).
  returned: always
  type: list
  elements: dict
refreshed:
  description: Whether the ResourceManager was refreshed.
  returned: always
  type: bool
nodes:
  description: Per host, what the ResourceManager says.
  returned: always
  type: dict
  sample:
    worker7.example.com: {"state": "DECOMMISSIONING", "containers": 2, "timeout_left": 1740, "done": false}
blockers:
  description: Why the hosts that are not done are not done (when not complete).
  returned: always
  type: list
  elements: str
waited:
  description: Seconds spent waiting.
  returned: always
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._hosts_files import (
    HostsFileError, parse_yarn_exclude, parse_yarn_include, plan_yarn_hosts, render_yarn_exclude,
    render_yarn_include)
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, resourcemanager_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import read_text, write_text
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import node_progress, read_nodes, usable_after


def sync_files(module, result, files):
    """Write the (path, before, after, differs) files that differ; diff and check mode aware."""
    for path, before, after, differs in files:
        if differs:
            result['changed'] = True
            if module._diff:
                result.setdefault('diff', []).append(
                    {'before': before or '', 'after': after, 'before_header': path, 'after_header': path})
            if not module.check_mode:
                write_text(module, path, after, group=module.params['file_group'])


def main():
    argument_spec = http_argument_spec()
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        hosts=dict(type='list', elements='str', default=[]),
        state=dict(type='str', default='in_service', choices=['in_service', 'decommissioned']),
        members=dict(type='list', elements='str'),
        include_file=dict(type='path', default='/etc/hadoop/conf/yarn.include'),
        exclude_file=dict(type='path', default='/etc/hadoop/conf/yarn.exclude.xml'),
        file_group=dict(type='str'),
        decommission_timeout=dict(type='int', default=3600),
        refresh=dict(type='bool', default=True),
        resourcemanager_url=dict(type='str', default='http://localhost:8088'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=3900),
        fail_on_timeout=dict(type='bool', default=True),
        poll_interval=dict(type='int', default=5),
        admin_user=dict(type='str', default='yarn'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    hosts, state = sorted(set(params['hosts'])), params['state']
    client = resourcemanager_client(params)
    try:
        include_text = read_text(params['include_file'])
        exclude_text = read_text(params['exclude_file'])
        included, excluded = parse_yarn_include(include_text), parse_yarn_exclude(exclude_text)
    except HostsFileError as e:
        module.fail_json(msg='%s: %s' % (params['exclude_file'], e))
    except (IOError, OSError) as e:
        module.fail_json(msg='cannot read the NodeManager host files: %s' % e)
    new_included, new_excluded, changes = plan_yarn_hosts(
        included, excluded, hosts, state, params['members'], params['decommission_timeout'])
    result = dict(changed=False, changes=changes, refreshed=False, nodes={}, complete=True, blockers=[], waited=0.0)
    try:
        try:
            nodes = read_nodes(client)
        except HadoopHttpError:
            if hosts:
                raise
            # Only admitting members: a ResourceManager that is not running
            # reads the files when it starts.
            nodes = None
        # Compared by content, not text: a file in another layout asking for
        # the same hosts is left alone.
        files = ((params['include_file'], include_text, render_yarn_include(new_included),
                  include_text is None or sorted(set(new_included)) != sorted(set(included))),
                 (params['exclude_file'], exclude_text, render_yarn_exclude(new_excluded),
                  exclude_text is None or new_excluded != excluded))
        if nodes is None:
            sync_files(module, result, files)
            module.exit_json(**result)
        known = set(nodes) | set(included) | set(excluded) | set(params['members'] or [])
        unknown = [h for h in hosts if h not in known]
        if unknown:
            module.fail_json(msg='%s %s not part of this YARN cluster: not in %s and never seen by the '
                                 'ResourceManager. Check the host names, or add the hosts with scale_out.yml first.'
                                 % (', '.join(unknown), 'is' if len(unknown) == 1 else 'are', params['include_file']))
        if state == 'decommissioned' and not usable_after(nodes, set(new_excluded)):
            module.fail_json(msg='decommissioning %s would leave no RUNNING NodeManager: YARN could run nothing. '
                                 'Add NodeManagers first (scale_out.yml) or decommission fewer hosts.'
                                 % ', '.join(hosts))
        progress = node_progress(nodes, hosts, state)
        stale = [h for h, p in progress.items() if not p['done'] and p['state'] == 'RUNNING']
        sync_files(module, result, files)
        if params['refresh'] and (result['changed'] or stale):
            result['changed'] = result['refreshed'] = True
            if not module.check_mode:
                args = ['-refreshNodes']
                if state == 'decommissioned':
                    args += ['-g', str(params['decommission_timeout']), '-server']
                HadoopCli(module, params['admin_user']).run('rmadmin', args)
        if module.check_mode or not params['wait']:
            result['nodes'] = progress if module.check_mode else node_progress(read_nodes(client), hosts, state)
            result['complete'] = all(p['done'] for p in result['nodes'].values())
            module.exit_json(**result)
        start = time.time()
        while True:
            progress = node_progress(read_nodes(client), hosts, state)
            waiting = [h for h, p in sorted(progress.items()) if not p['done']]
            if not waiting or time.time() - start >= params['wait_timeout']:
                break
            time.sleep(params['poll_interval'])
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), **result)
    result.update(nodes=progress, complete=not waiting, waited=round(time.time() - start, 1),
                  blockers=['%s: %s, %s running container(s)%s' % (
                      h, progress[h]['state'] or 'unknown to the ResourceManager', progress[h].get('containers', 0),
                      ', %ss of the graceful timeout left' % progress[h]['timeout_left']
                      if progress[h].get('timeout_left') is not None else '') for h in waiting])
    if waiting and params['fail_on_timeout']:
        module.fail_json(msg='%s not %s after %ss: %s' % (
            ', '.join(waiting), state.replace('_', ' '), params['wait_timeout'], '; '.join(result['blockers'])),
            **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
