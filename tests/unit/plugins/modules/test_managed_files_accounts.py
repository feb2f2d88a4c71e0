# -*- coding: utf-8 -*-
"""managed_files' groups and users: the account databases read, the shadow tools run only for what differs."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import grp
import pwd

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils import _accounts
from ansible_collections.datafleet.hadoop.plugins.modules import managed_files

Passwd = collections.namedtuple('Passwd', 'pw_name pw_gid pw_dir pw_shell')
Group = collections.namedtuple('Group', 'gr_name gr_gid')


@pytest.fixture
def accounts(monkeypatch, commands):
    """Account databases held in dicts, which the fake shadow tools update as the real ones would."""
    db = {'users': {}, 'groups': {'hadoop': Group('hadoop', 998)}}

    def getpwnam(name):
        return db['users'][name]

    def getgrnam(name):
        return db['groups'][name]

    def getgrgid(gid):
        for entry in db['groups'].values():
            if entry.gr_gid == gid:
                return entry
        raise KeyError(gid)

    monkeypatch.setattr(_accounts, 'pwd', collections.namedtuple('P', 'getpwnam')(getpwnam))
    monkeypatch.setattr(_accounts, 'grp', collections.namedtuple('G', 'getgrnam getgrgid')(getgrnam, getgrgid))

    def effect(module, argv):
        tool, name = argv[0].rsplit('/', 1)[-1], argv[-1]
        flags = dict(zip(argv[1:-1], argv[2:-1]))
        if tool == 'groupadd':
            db['groups'][name] = Group(name, 900 + len(db['groups']))
        elif tool == 'useradd':
            db['users'][name] = Passwd(name, db['groups'][flags['--gid']].gr_gid, flags['--home-dir'],
                                       flags['--shell'])
        elif tool == 'usermod':
            entry = db['users'][name]
            db['users'][name] = entry._replace(pw_shell=flags.get('--shell', entry.pw_shell),
                                               pw_dir=flags.get('--home', entry.pw_dir))
    commands.effect = effect
    return db


def spec(tmp_path, **extra):
    return dict({
        'groups': [{'name': 'hadoop'}, {'name': 'zookeeper'}],
        'users': [{'name': 'hdfs', 'group': 'hadoop', 'home': str(tmp_path / 'data' / 'home' / 'hdfs'),
                   'shell': '/usr/sbin/nologin', 'create_home': True}],
    }, **extra)


def test_missing_accounts_are_created_then_left_alone(tmp_path, run_module, accounts, commands):
    commands.results = [(0, '', ''), (0, '', '')]
    first = run_module(managed_files, spec(tmp_path))
    assert first['changed'] is True
    assert first['changed_accounts'] == ['group:zookeeper', 'user:hdfs']
    assert [argv[0].rsplit('/', 1)[-1] for argv in commands.calls] == ['groupadd', 'useradd']
    assert commands.calls[0][1:] == ['--system', 'zookeeper']
    assert commands.calls[1][1:] == ['--system', '--gid', 'hadoop', '--home-dir', str(tmp_path / 'data' / 'home' / 'hdfs'),
                                     '--shell', '/usr/sbin/nologin', '--create-home', 'hdfs']
    # useradd creates the home, not its missing parents.
    assert (tmp_path / 'data' / 'home').is_dir()
    second = run_module(managed_files, spec(tmp_path))
    assert second['changed'] is False and second['changed_accounts'] == []
    assert len(commands.calls) == 2


def test_an_existing_users_shell_is_corrected_and_shown(tmp_path, run_module, accounts, commands):
    home = str(tmp_path / 'data' / 'home' / 'hdfs')
    accounts['groups']['zookeeper'] = Group('zookeeper', 990)
    accounts['users']['hdfs'] = Passwd('hdfs', 998, home, '/bin/bash')
    commands.results = [(0, '', '')]
    result = run_module(managed_files, dict(spec(tmp_path), _ansible_diff=True))
    assert result['changed_accounts'] == ['user:hdfs']
    assert commands.calls == [[commands.calls[0][0], '--shell', '/usr/sbin/nologin', 'hdfs']]
    assert result['diff'] == [{'before': {'user': 'hdfs', 'shell': '/bin/bash'},
                               'after': {'user': 'hdfs', 'shell': '/usr/sbin/nologin'}}]


def test_check_mode_reports_the_accounts_and_runs_nothing(tmp_path, run_module, accounts, commands):
    result = run_module(managed_files, spec(tmp_path), check_mode=True)
    assert result['changed'] is True
    assert result['changed_accounts'] == ['group:zookeeper', 'user:hdfs']
    assert commands.calls == []
    assert not (tmp_path / 'data').exists()


def test_a_failing_tool_fails_with_its_message(tmp_path, run_module, accounts, commands):
    accounts['groups']['zookeeper'] = Group('zookeeper', 990)
    commands.results = [(9, '', "useradd: user 'hdfs' already exists\n")]
    result = run_module(managed_files, spec(tmp_path))
    assert result['failed'] is True
    assert 'useradd' in result['msg'] and "user 'hdfs' already exists" in result['msg'] and '(exit code 9)' in result['msg']


def test_the_real_account_databases_are_read(tmp_path, run_module):
    """Without fakes: the accounts the test runs as exist, so nothing is run or changed."""
    user = pwd.getpwuid(0)
    result = run_module(managed_files, {
        'groups': [{'name': grp.getgrgid(0).gr_name}],
        'users': [{'name': user.pw_name, 'group': grp.getgrgid(user.pw_gid).gr_name, 'home': user.pw_dir,
                   'shell': user.pw_shell}]})
    assert result['changed'] is False and result['changed_accounts'] == []
