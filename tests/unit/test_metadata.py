# -*- coding: utf-8 -*-
"""What the collection says of itself: plugin versions, examples that run as
the modules need, and a release tarball without this repository's own tools."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GALAXY = yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml')))


def _version(text):
    return tuple(int(part) for part in str(text).split('.'))


def _python_docs(path):
    """DOCUMENTATION and EXAMPLES of a module or plugin written in Python."""
    found = {}
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Constant):
            name = getattr(node.targets[0], 'id', None)
            if name in ('DOCUMENTATION', 'EXAMPLES'):
                found[name] = node.value.value
    return yaml.safe_load(found.get('DOCUMENTATION') or '{}') or {}, found.get('EXAMPLES') or ''


def documented():
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', '*', '*.py'))):
        docs, dummy = _python_docs(path)
        if docs:
            yield os.path.relpath(path, ROOT), docs
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', 'filter', '*.yml'))):
        yield os.path.relpath(path, ROOT), yaml.safe_load(open(path))['DOCUMENTATION']


@pytest.mark.parametrize('path, docs', list(documented()), ids=lambda value: value if isinstance(value, str) else '')
def test_no_plugin_is_newer_than_the_collection(path, docs):
    assert _version(docs['version_added']) <= _version(GALAXY['version']), path


@pytest.mark.parametrize('module', ['hdfs_datanode_admin', 'yarn_node_admin'])
def test_admin_examples_run_as_root(module):
    # They write root-owned hosts files on the masters.
    dummy, examples = _python_docs(os.path.join(ROOT, 'plugins', 'modules', module + '.py'))
    assert examples and 'become_user' not in examples


def test_the_tarball_leaves_out_this_repository_s_own_tools():
    ignored = set(GALAXY['build_ignore'])
    kept = {'tools/build-dist', 'tools/build_dist'}
    for path in glob.glob(os.path.join(ROOT, 'tools', '*')):
        name = os.path.relpath(path, ROOT)
        assert (name in ignored) != (name in kept), name


def test_the_restartable_daemons_are_those_of_the_daemon_map():
    from ansible_collections.datafleet.hadoop.plugins.module_utils import _daemons
    specs = yaml.safe_load(open(os.path.join(ROOT, 'roles', 'preflight', 'meta', 'argument_specs.yml')))
    option = specs['argument_specs']['main']['options']['hadoop_restart_daemons']
    assert sorted(option['choices']) == sorted(_daemons.DAEMONS)


def test_preflight_knows_the_secure_mode_variables():
    # preflight refuses hadoop_* variables that no role's argument spec
    # documents (the unknown_variables filter over __preflight_roles' specs).
    from ansible_collections.datafleet.hadoop.plugins.filter.hadoop import unknown_variables
    roles = yaml.safe_load(open(os.path.join(ROOT, 'roles', 'preflight', 'vars', 'main.yml')))['__preflight_roles']
    known = []
    for role in roles:
        specs = yaml.safe_load(open(os.path.join(ROOT, 'roles', role, 'meta', 'argument_specs.yml')))['argument_specs']
        for spec in specs.values():
            known.extend(spec.get('options') or {})
    names = ['hadoop_security', 'hadoop_kerberos_realm', 'hadoop_keytab_dir', 'hadoop_rpc_protection',
             'hadoop_data_transfer_protection', 'hadoop_native_code']
    assert unknown_variables(names + ['hadoop_kerberos_relm'], known, ['hadoop_']) == [
        'hadoop_kerberos_relm is not a variable of datafleet.hadoop (did you mean hadoop_kerberos_realm?)']
