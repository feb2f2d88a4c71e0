# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Directories on the host, made what they should be (managed_files,
    # daemon_service).
    LOCAL = r'''
options:
  directories:
    description:
      - Directories, made first; a missing one is created (its missing parents owned by the user running the
        module, mode C(0755)), and owner, group and mode are set where they differ.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The directory.
        type: path
        required: true
      owner:
        description: Its owner; unchanged when not given.
        type: str
      group:
        description: Its group; unchanged when not given.
        type: str
      mode:
        description: Its mode, as the M(ansible.builtin.file) module takes it (a quoted octal string such as C("0755")).
        type: raw
'''

    # Directories in HDFS, in one call (hdfs_path, hdfs_ready).
    HDFS = r'''
options:
  paths:
    description:
      - HDFS directories to create (with missing parents) or correct, in the order given, each with its own
        owner, group and mode; O(owner), O(group) and O(mode) apply to those that do not set theirs.
    type: list
    elements: dict
    suboptions:
      path:
        description: Absolute HDFS path.
        type: str
        required: true
      owner:
        description: Owner to set.
        type: str
      group:
        description: Group to set.
        type: str
      mode:
        description: Permissions to set, as an octal string such as C("1777").
        type: raw
'''
