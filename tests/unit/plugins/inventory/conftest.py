# -*- coding: utf-8 -*-
"""Inventory plugins are loaded the way Ansible loads them, through its
collection loader, so their options come from their documentation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

import ansible_collections
from ansible.plugins.loader import init_plugin_loader


@pytest.fixture(scope='session', autouse=True)
def collection_loader():
    # The test tree holds the collection under .../ansible_collections/datafleet/hadoop.
    # Modules that other tests imported as plain packages are dropped first
    # (those tests keep their copies), so the loader imports its own.
    paths = [p for p in ansible_collections.__path__ if os.path.isdir(os.path.join(p, 'datafleet', 'hadoop'))]
    for name in list(sys.modules):
        if name.startswith('ansible_collections.datafleet'):
            del sys.modules[name]
    init_plugin_loader([os.path.dirname(paths[0])])
