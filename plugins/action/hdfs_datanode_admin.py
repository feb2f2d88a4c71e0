# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of datafleet.hadoop.hdfs_datanode_admin: a long wait (a decommission
of hours) becomes a flat loop of module calls, each waiting at most
report_interval seconds, with a progress line after each. No nesting, no
task file that includes itself: the number of calls only costs time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import progress_line

display = Display()

MODULE = 'datafleet.hadoop.hdfs_datanode_admin'


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    # The clock and the report channel, replaced in unit tests.
    clock = staticmethod(time.time)

    def report(self, line):
        display.display('%s: %s' % (self._task.get_name(), line))

    def call(self, args, task_vars):
        return self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        interval = int(args.get('report_interval') or 0)
        waiting = boolean(args.get('wait', True), strict=False) and not self._play_context.check_mode
        if interval <= 0 or not waiting:
            result.update(self.call(args, task_vars))
            return result
        timeout = int(args.get('wait_timeout', 3600))
        fail_on_timeout = boolean(args.get('fail_on_timeout', True), strict=False)
        deadline = self.clock() + timeout
        changed = False
        while True:
            left = max(1, int(deadline - self.clock()))
            out = self.call(dict(args, wait_timeout=min(interval, left), fail_on_timeout=False), task_vars)
            changed = changed or bool(out.get('changed'))
            if out.get('failed') or out.get('complete') or self.clock() >= deadline:
                break
            self.report(progress_line(out))
        out['changed'] = changed
        if not out.get('failed') and not out.get('complete') and fail_on_timeout:
            out['failed'] = True
            out['msg'] = ('%s not %s within %s s: %s. Nothing is lost: run again to keep waiting, or fix what '
                          'blocks it.' % (', '.join(sorted(out.get('nodes') or args.get('hosts') or [])),
                                          str(args.get('state', 'in_service')).replace('_', ' '), timeout,
                                          '; '.join(out.get('blockers') or [])))
        result.update(out)
        return result
