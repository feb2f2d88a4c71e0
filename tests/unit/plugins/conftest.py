# -*- coding: utf-8 -*-
"""Fixtures for running module_utils and modules against the captured payloads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

from ansible_collections.datafleet.hadoop.plugins.module_utils import _http
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import FakeCommands, FakeHadoop


@pytest.fixture
def hadoop(monkeypatch):
    """A FakeHadoop installed as the open_url every HttpClient.from_params uses."""
    fake = FakeHadoop()
    monkeypatch.setattr(_http, 'open_url', fake)
    return fake


@pytest.fixture
def commands(monkeypatch):
    """A FakeCommands installed as AnsibleModule.run_command (no command may run unless told)."""
    fake = FakeCommands()

    def run_command(module, args, **kwargs):
        return fake(module, args, **kwargs)

    monkeypatch.setattr(basic.AnsibleModule, 'run_command', run_command)
    return fake


@pytest.fixture
def run_module(capsys):
    """run_module(module, args, check_mode=False) -> the JSON result the module printed.

    The result has failed=True when the module called fail_json; an uncaught
    exception (a traceback for the user) propagates and fails the test.
    """
    def run(module, args, check_mode=False):
        args = dict(args, _ansible_check_mode=check_mode)
        capsys.readouterr()
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        result = json.loads(capsys.readouterr().out)
        assert (exit_info.value.code == 1) == bool(result.get('failed'))
        return result
    return run
