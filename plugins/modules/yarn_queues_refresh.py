#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: yarn_queues_refresh
short_description: Make the ResourceManager take in a changed capacity-scheduler.xml without a restart
version_added: 0.1.0
description:
  - Runs C(rmadmin -refreshQueues), which makes the active ResourceManager re-read C(capacity-scheduler.xml)
    (with HA, the client finds the active one; a standby reads the file when it becomes active).
  - The ResourceManager checks the new queues first and keeps the old ones when it refuses them (for example a
    queue removed while applications run in it); the module then fails with the ResourceManager's reason.
  - Run it after the file changed; it always reports a change. In check mode it runs nothing.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)); a YARN administrator.
    type: str
    default: yarn
extends_documentation_fragment:
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
seealso:
  - module: datafleet.hadoop.yarn_info
'''

EXAMPLES = r'''
- name: Reload the queues after capacity-scheduler.xml changed
  datafleet.hadoop.yarn_queues_refresh:
    admin_user: yarn
'''

RETURN = r'''
refreshed:
  description: Whether the queues were reloaded (false in check mode).
  returned: always
  type: bool
'''

import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec, last_lines

# rmadmin's one-line reason, before the server's stack trace:
# 'refreshQueues: java.io.IOException: Failed to re-init queues : <why>'.
_REASON = re.compile(r'^refreshQueues: (?:[\w.$]+: )?(.+)$', re.M)


def refused_reason(out, err):
    """The ResourceManager's reason for refusing the queues, or the tool's last lines."""
    found = _REASON.search(err) or _REASON.search(out)
    return found.group(1).strip() if found else last_lines(err or out)


def main():
    argument_spec = cli_argument_spec()
    argument_spec.update(admin_user=dict(type='str', default='yarn'))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.check_mode:
        module.exit_json(changed=True, refreshed=False)
    cli = HadoopCli(module, module.params['admin_user'])
    rc, out, err = cli.run('rmadmin', ['-refreshQueues'], check_rc=False)
    if rc != 0:
        module.fail_json(msg='The ResourceManager refused the new queues and keeps the old ones: %s. Fix '
                             'capacity-scheduler.xml (hadoop_capacity_scheduler) and run again.'
                             % refused_reason(out, err), rc=rc, stdout=out, stderr=err)
    module.exit_json(changed=True, refreshed=True)


if __name__ == '__main__':
    main()
