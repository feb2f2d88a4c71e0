# -*- coding: utf-8 -*-
"""ansible-playbook runs of the scenarios' tests, with the collection of this
checkout, and the changes of their play recap."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess


def run_playbook(project, inventory, playbook, *flags, **extra_vars):
    """ansible-playbook playbook against inventory, extra_vars as JSON; the finished process, output captured."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(project, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_PIPELINING='true')
    argv = ['ansible-playbook', '-i', inventory, playbook] + list(flags)
    if extra_vars:
        argv += ['-e', json.dumps(extra_vars)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=project, check=False)


def changed(result):
    """{host: changed count} of the play recap; the run must have succeeded."""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return dict((host, int(count)) for host, count in re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', result.stdout, re.M))
