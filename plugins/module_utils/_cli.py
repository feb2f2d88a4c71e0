# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Running Hadoop admin tools (dfsadmin, rmadmin, namenode -format, ...).

Used only where no HTTP API exists. Commands are argv lists built by
_layout, run through AnsibleModule.run_command: no shell, no pipelines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import re

from ansible_collections.datafleet.hadoop.plugins.module_utils import _secure
from ansible_collections.datafleet.hadoop.plugins.module_utils._layout import admin_argv

_CLI_ARGUMENT_SPEC = dict(
    hadoop_home=dict(type='path', default='/opt/hadoop/current'),
    conf_dir=dict(type='path', default='/etc/hadoop/conf'),
    java_home=dict(type='path'),
)


def cli_argument_spec():
    return copy.deepcopy(_CLI_ARGUMENT_SPEC)


class HadoopCli(object):
    """Runs one admin tool invocation and turns failures into clear messages."""

    def __init__(self, module, user=None):
        self.module = module
        # Identity of the tool with simple authentication (HADOOP_USER_NAME),
        # so a module running as root to write the masters' files can act as
        # the HDFS or YARN admin.
        self.user = user
        params = module.params
        self.hadoop_home = params['hadoop_home']
        self.conf_dir = params['conf_dir']
        self.java_home = params.get('java_home') or self._find_java_home()
        if not os.path.isdir(os.path.join(self.hadoop_home, 'share', 'hadoop')):
            module.fail_json(msg='hadoop_home %s does not hold a Hadoop installation (no share/hadoop); '
                                 'install Hadoop first or set hadoop_home' % self.hadoop_home)
        # On a Kerberized cluster the tools use the ticket of the host's keytab for their service (KRB5CCNAME).
        try:
            _secure.for_params(params, 'yarn' if user == 'yarn' else 'hdfs')
        except _secure.SecurityError as e:
            module.fail_json(msg=str(e))

    def _find_java_home(self):
        java = self.module.get_bin_path('java', required=False)
        if not java:
            self.module.fail_json(msg='no java binary on PATH; install a JRE or set java_home')
        return os.path.dirname(os.path.dirname(os.path.realpath(java)))

    def argv(self, tool, args):
        return admin_argv(self.java_home, self.hadoop_home, self.conf_dir, tool, args)

    def run(self, tool, args, check_rc=True):
        argv = self.argv(tool, args)
        environ = {'MALLOC_ARENA_MAX': '4'}
        if self.user:
            environ['HADOOP_USER_NAME'] = self.user
        rc, out, err = self.module.run_command(argv, environ_update=environ)
        if check_rc and rc != 0:
            self.module.fail_json(
                msg='%s %s failed with exit code %s: %s' % (tool, ' '.join(args), rc, last_lines(err or out)),
                rc=rc, stdout=out, stderr=err, cmd=argv)
        return rc, out, err


# Routine log records and the start/shutdown banners Hadoop tools print.
_NOISE = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (INFO|DEBUG|TRACE) |^/\*{10,}|^\*{10,}/$|^[A-Z_]+_MSG:')


def last_lines(text, count=5):
    """The tail of a JVM's output: the exception message, not the log noise."""
    lines = [line for line in (text or '').splitlines() if line.strip() and not _NOISE.match(line.strip())]
    return '\n'.join(lines[-count:])
