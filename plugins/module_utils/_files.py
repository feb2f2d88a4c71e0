# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""A host's managed directories and files, compared and written in one call.

The contents are rendered on the controller; the host only compares them
with what is there and writes what differs (atomically, with its owner,
group and mode), so a converged host costs one round trip instead of one per
directory and file. Ownership and modes go through AnsibleModule's own
set_fs_attributes_if_different, as the file and copy modules do.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text


def _file_args(module, path, spec):
    return module.load_file_common_arguments(
        {'owner': spec.get('owner'), 'group': spec.get('group'), 'mode': spec.get('mode')}, path=path)


def _attributes(module, path, spec, diff):
    """Set owner, group and mode of path where they differ (not in check mode);
    True when something differs. diff gets their before and after."""
    return module.set_fs_attributes_if_different(_file_args(module, path, spec), False, diff)


def ensure_directory(module, spec):
    """The directory spec['path'] with its owner, group and mode. Missing
    parents are created owned by the user running the module, mode 0755.
    (changed, diff)."""
    path = spec['path']
    diff = {'before': {'path': path}, 'after': {'path': path}}
    if not os.path.isdir(path):
        if os.path.lexists(path):
            module.fail_json(msg='%s exists and is not a directory; move it away and run again' % path)
        diff['before']['state'], diff['after']['state'] = 'absent', 'directory'
        if module.check_mode:
            return True, diff
        os.makedirs(path, 0o755)
    changed = _attributes(module, path, spec, diff)
    return changed or diff['before'].get('state') == 'absent', diff


def _read(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def ensure_file(module, spec):
    """The file spec['dest'] with spec['content'], owner, group and mode.
    (changed, previous content or None, diff)."""
    dest = spec['dest']
    wanted = to_bytes(spec['content'], errors='surrogate_or_strict')
    if os.path.isdir(dest):
        module.fail_json(msg='%s is a directory, not a file; move it away and run again' % dest)
    current = _read(dest)
    diff = {'before_header': dest, 'after_header': dest, 'before': {}, 'after': {}}
    if current == wanted:
        changed = _attributes(module, dest, spec, diff)
        return changed, current, diff
    diff['before'] = to_text(current or b'', errors='surrogate_or_replace')
    diff['after'] = to_text(wanted, errors='surrogate_or_replace')
    if module.check_mode:
        return True, current, diff
    directory = os.path.dirname(dest) or '.'
    handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(dest), dir=directory)
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(wanted)
        _attributes(module, temp, spec, None)
        module.atomic_move(temp, dest, unsafe_writes=False)
    except (IOError, OSError) as e:
        if os.path.exists(temp):
            os.unlink(temp)
        module.fail_json(msg='Could not write %s: %s' % (dest, to_native(e)))
    # atomic_move keeps the temporary file's owner and mode; set them once
    # more in case the destination's directory imposes others.
    _attributes(module, dest, spec, None)
    return True, current, diff


def ensure_link(module, spec):
    """The symbolic link spec['dest'] pointing at spec['src'], replaced
    atomically when it points elsewhere. (changed, diff)."""
    dest, src = spec['dest'], spec['src']
    current = os.readlink(dest) if os.path.islink(dest) else None
    if current is None and os.path.lexists(dest):
        module.fail_json(msg='%s exists and is not a link; move it away and run again' % dest)
    if current == src:
        return False, None
    diff = {'before': {'path': dest, 'src': current, 'state': 'link' if current else 'absent'},
            'after': {'path': dest, 'src': src, 'state': 'link'}}
    if module.check_mode:
        return True, diff
    temp = os.path.join(os.path.dirname(dest) or '.', '.%s.%d.link' % (os.path.basename(dest), os.getpid()))
    try:
        if os.path.lexists(temp):
            os.unlink(temp)
        os.symlink(src, temp)
        os.rename(temp, dest)
    except (IOError, OSError) as e:
        if os.path.lexists(temp):
            os.unlink(temp)
        module.fail_json(msg='Could not point %s at %s: %s' % (dest, src, to_native(e)))
    return True, diff


def ensure_all(module, directories, files, keep_previous=()):
    """Directories first (the files may live in them), then files.
    A dict with changed, changed_paths, previous (for the files of
    keep_previous that changed: their content before, or None when they did
    not exist) and diffs (one per changed path)."""
    result = {'changed': False, 'changed_paths': [], 'previous': {}, 'diffs': []}
    for spec in directories:
        changed, diff = ensure_directory(module, spec)
        if changed:
            result['changed_paths'].append(spec['path'])
            result['diffs'].append(diff)
    keep = set(keep_previous)
    for spec in files:
        changed, previous, diff = ensure_file(module, spec)
        if changed:
            result['changed_paths'].append(spec['dest'])
            result['diffs'].append(diff)
            if spec['dest'] in keep:
                result['previous'][spec['dest']] = None if previous is None else to_text(
                    previous, errors='surrogate_or_replace')
    result['changed'] = bool(result['changed_paths'])
    return result
