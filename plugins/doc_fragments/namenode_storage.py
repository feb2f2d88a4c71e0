# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The metadata directories of the NameNode the module runs on.
    DOCUMENTATION = r'''
options:
  name_dirs:
    description:
      - Local directories of C(dfs.namenode.name.dir), without a C(file://) prefix.
    type: list
    elements: path
    required: true
'''

    # The HA nameservice and its JournalNodes.
    NAMESERVICE = r'''
options:
  nameservice:
    description:
      - The nameservice (C(dfs.nameservices)).
    type: str
    required: true
  journalnode_urls:
    description:
      - HTTP URLs of the nameservice's JournalNodes (for example V(http://jn1.example.com:8480)).
    type: list
    elements: str
    required: true
'''
