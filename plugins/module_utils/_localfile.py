# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Reading and atomically replacing small files on the managed host."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

from ansible.module_utils.common.text.converters import to_bytes, to_text


def read_text(path):
    """The file's text, or None when it does not exist."""
    try:
        with open(path, 'rb') as f:
            return to_text(f.read())
    except (IOError, OSError) as e:
        if not os.path.exists(path):
            return None
        raise e


def write_text(module, path, text, mode=0o644, group=None):
    """Replace path with text in one rename; a new file gets mode and group,
    an existing one keeps its owner, group and mode (atomic_move does that)."""
    directory = os.path.dirname(path) or '.'
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(to_bytes(text))
        os.chmod(tmp, mode)
        module.atomic_move(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    if group:
        module.set_group_if_different(path, group, False)
