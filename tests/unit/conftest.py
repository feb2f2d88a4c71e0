# -*- coding: utf-8 -*-
"""Make the collection importable as ansible_collections.datafleet.hadoop.

ansible-test runs the tests from an ansible_collections/ tree; a plain
`pytest tests/unit` from a checkout gets a temporary tree linked to it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def _ensure_importable():
    parts = ROOT.split(os.sep)
    if parts[-3:-1] == ['ansible_collections', 'datafleet']:
        base = os.sep.join(parts[:-3])
    else:
        base = tempfile.mkdtemp(prefix='datafleet-unit-')
        os.makedirs(os.path.join(base, 'ansible_collections', 'datafleet'))
        os.symlink(ROOT, os.path.join(base, 'ansible_collections', 'datafleet', 'hadoop'))
    if base not in sys.path:
        sys.path.insert(0, base)
    # The ansible package ships an ansible_collections namespace of its own;
    # extend it with this tree.
    import ansible_collections
    path = os.path.join(base, 'ansible_collections')
    if path not in list(ansible_collections.__path__):
        ansible_collections.__path__.append(path)


_ensure_importable()


def load_fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        text = handle.read()
    return json.loads(text) if name.endswith('.json') else text


@pytest.fixture
def fixture_text():
    return load_fixture
