# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The service accounts of a host: system groups and users, read from the
account databases and created or corrected with the shadow tools (groupadd,
useradd, usermod) only where they differ, so the accounts cost no module call
of their own."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd


def _group_name(gid):
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _run(module, argv):
    rc, out, err = module.run_command(argv)
    if rc != 0:
        module.fail_json(msg='%s failed (exit code %d): %s' % (' '.join(argv), rc, (err or out).strip()))


def ensure_group(module, spec):
    """The group spec['name'] exists (created as a system group when
    spec['system']). (changed, diff)."""
    name = spec['name']
    try:
        grp.getgrnam(name)
        return False, None
    except KeyError:
        pass
    diff = {'before': {'group': name, 'state': 'absent'}, 'after': {'group': name, 'state': 'present'}}
    if not module.check_mode:
        _run(module, [module.get_bin_path('groupadd', True)] + (['--system'] if spec.get('system') else []) + [name])
    return True, diff


def _user_changes(entry, spec):
    """{attribute: (current, wanted)} of an existing user's primary group,
    home and shell."""
    changes = {}
    current = {'group': _group_name(entry.pw_gid), 'home': entry.pw_dir, 'shell': entry.pw_shell}
    for key in ('group', 'home', 'shell'):
        if spec.get(key) is not None and current[key] != spec[key]:
            changes[key] = (current[key], spec[key])
    return changes


def ensure_user(module, spec):
    """The user spec['name'] with its primary group, home and shell. A new
    user is created (a system user when spec['system']; its home created
    when spec['create_home'], missing parents owned by root); an existing
    one gets usermod for what differs (its home is not moved).
    (changed, diff)."""
    name = spec['name']
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        entry = None
    if entry is None:
        diff = {'before': {'user': name, 'state': 'absent'},
                'after': dict(user=name, state='present',
                              **dict((k, spec[k]) for k in ('group', 'home', 'shell') if spec.get(k) is not None))}
        if module.check_mode:
            return True, diff
        argv = [module.get_bin_path('useradd', True)]
        if spec.get('system'):
            argv.append('--system')
        for key, flag in (('group', '--gid'), ('home', '--home-dir'), ('shell', '--shell')):
            if spec.get(key) is not None:
                argv += [flag, spec[key]]
        if spec.get('create_home') and spec.get('home'):
            # useradd creates the home itself, not its parents.
            parent = os.path.dirname(spec['home'].rstrip('/'))
            if parent and not os.path.isdir(parent):
                os.makedirs(parent, 0o755)
            argv.append('--create-home')
        else:
            argv.append('--no-create-home')
        _run(module, argv + [name])
        return True, diff
    changes = _user_changes(entry, spec)
    if not changes:
        return False, None
    diff = {'before': dict(user=name, **dict((k, v[0]) for k, v in changes.items())),
            'after': dict(user=name, **dict((k, v[1]) for k, v in changes.items()))}
    if not module.check_mode:
        argv = [module.get_bin_path('usermod', True)]
        for key, flag in (('group', '--gid'), ('home', '--home'), ('shell', '--shell')):
            if key in changes:
                argv += [flag, spec[key]]
        _run(module, argv + [name])
    return True, diff
