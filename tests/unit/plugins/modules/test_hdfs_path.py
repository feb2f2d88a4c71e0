# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_path
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, Reply, derived_boolean, derived_empty_ok, file_status, not_found)

DIR, FILE = 'webhdfs_GETFILESTATUS_dir.json', 'webhdfs_GETFILESTATUS_file.json'
WEB = '/webhdfs/v1/data'


def args(**kwargs):
    return dict({'path': '/data', 'namenode_url': NAMENODE_URL, 'user': 'root'}, **kwargs)


def status_route(hadoop, *statuses, **kwargs):
    """GETFILESTATUS answers in order: None is the captured 404, a dict a (derived) FileStatus."""
    hadoop.on('GET', kwargs.get('path', WEB), *[not_found() if s is None else Reply.json({'FileStatus': s})
                                                for s in statuses], op='GETFILESTATUS')


def write_routes(hadoop, path=WEB):
    hadoop.on('PUT', path, derived_boolean(), op='MKDIRS')
    for op in ('SETOWNER', 'SETPERMISSION'):
        hadoop.on('PUT', path, derived_empty_ok(), op=op)
    hadoop.on('DELETE', path, derived_boolean(), op='DELETE')


@pytest.mark.parametrize('owner, group, mode, puts', [
    (None, None, '0755', ['MKDIRS']),
    ('spark', 'hadoop', '0755', ['MKDIRS', 'SETOWNER']),
    # the created directory (captured: 755) lacks the sticky bit asked for
    (None, None, '1777', ['MKDIRS', 'SETPERMISSION']),
    ('spark', None, '1777', ['MKDIRS', 'SETOWNER', 'SETPERMISSION']),
])
def test_create_then_fix_attributes(hadoop, run_module, owner, group, mode, puts):
    created = file_status(DIR)  # what MKDIRS made, as the capture shows it (root, supergroup, 755)
    final = dict(created, owner=owner or created['owner'], group=group or created['group'],
                 permission=mode.lstrip('0'))  # derived: the directory after SETOWNER/SETPERMISSION
    status_route(hadoop, None, created, final)
    write_routes(hadoop)
    result = run_module(hdfs_path, args(owner=owner, group=group, mode=mode))
    assert result['changed'] is True
    # read, create, read what was created, fix what differs, read the result
    assert hadoop.calls() == ([('GET', 'GETFILESTATUS'), ('PUT', 'MKDIRS'), ('GET', 'GETFILESTATUS')]
                              + [('PUT', op) for op in puts[1:]] + [('GET', 'GETFILESTATUS')])
    put = dict((r.query['op'], r.query) for r in hadoop.requests if r.method == 'PUT')
    assert put['MKDIRS'] == {'op': 'MKDIRS', 'permission': mode.lstrip('0'), 'user.name': 'root'}
    if 'SETOWNER' in put:
        assert put['SETOWNER'] == dict({'op': 'SETOWNER', 'user.name': 'root', 'owner': owner},
                                       **({'group': group} if group else {}))
    if 'SETPERMISSION' in put:
        assert put['SETPERMISSION']['permission'] == '1777'
    assert result['diff']['before'] == {'state': 'absent'}
    assert result['status'] == {'state': 'directory', 'owner': final['owner'], 'group': final['group'],
                                'mode': final['permission'], 'length': 0}


@pytest.mark.parametrize('owner, group, mode', [
    (None, None, None),
    ('root', 'supergroup', '0755'),
    ('root', None, '755'),
])
def test_existing_directory_unchanged(hadoop, run_module, owner, group, mode):
    hadoop.on('GET', WEB, Reply.captured(DIR), op='GETFILESTATUS')
    result = run_module(hdfs_path, args(owner=owner, group=group, mode=mode))
    assert result['changed'] is False
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]
    assert result['status'] == {'state': 'directory', 'owner': 'root', 'group': 'supergroup', 'mode': '755',
                                'length': 0}


def test_only_the_mode_differs(hadoop, run_module):
    # Derived: the captured directory after SETPERMISSION 1777.
    status_route(hadoop, file_status(DIR), dict(file_status(DIR), permission='1777'))
    write_routes(hadoop)
    result = run_module(hdfs_path, args(owner='root', group='supergroup', mode='1777'))
    assert result['changed'] is True
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('PUT', 'SETPERMISSION'), ('GET', 'GETFILESTATUS')]
    assert hadoop.requests[1].query == {'op': 'SETPERMISSION', 'permission': '1777', 'user.name': 'root'}
    assert result['diff'] == {'before': {'state': 'directory', 'owner': 'root', 'group': 'supergroup',
                                         'mode': '755', 'length': 0},
                              'after': {'state': 'directory', 'owner': 'root', 'group': 'supergroup',
                                        'mode': '1777', 'length': 0}}


@pytest.mark.parametrize('exists, extra', [(False, {}), (True, {'owner': 'spark', 'mode': '1777'})])
def test_check_mode_writes_nothing(hadoop, run_module, exists, extra):
    status_route(hadoop, file_status(DIR) if exists else None)
    result = run_module(hdfs_path, args(**extra), check_mode=True)
    assert result['changed'] is True
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


def test_absent_deletes(hadoop, run_module):
    status_route(hadoop, file_status(DIR), None)
    write_routes(hadoop)
    result = run_module(hdfs_path, args(state='absent', recursive=True))
    assert result['changed'] is True
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('DELETE', 'DELETE'), ('GET', 'GETFILESTATUS')]
    assert hadoop.requests[1].query == {'op': 'DELETE', 'recursive': 'true', 'user.name': 'root'}
    assert result['status'] == {'state': 'absent'}


def test_absent_when_missing(hadoop, run_module):
    hadoop.on('GET', '/webhdfs/v1/no/such/path', not_found(), op='GETFILESTATUS')
    result = run_module(hdfs_path, args(path='/no/such/path/', state='absent'))
    assert result['changed'] is False
    assert result['path'] == '/no/such/path'
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


def test_path_is_a_file(hadoop, run_module):
    hadoop.on('GET', '/webhdfs/v1/data/hello.txt', Reply.captured(FILE), op='GETFILESTATUS')
    result = run_module(hdfs_path, args(path='/data/hello.txt', mode='0755'))
    assert result['failed'] is True
    assert result['msg'] == '/data/hello.txt exists in HDFS and is a file, not a directory; remove it first'
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


def test_relative_path_fails(hadoop, run_module):
    result = run_module(hdfs_path, args(path='data'))
    assert result['failed'] is True
    assert 'is not absolute' in result['msg']
    assert hadoop.requests == []


def test_symbolic_mode_fails_cleanly(hadoop, run_module):
    hadoop.on('GET', WEB, Reply.captured(DIR), op='GETFILESTATUS')
    result = run_module(hdfs_path, args(mode='u=rwx,go=rx'))
    assert result['failed'] is True
    assert 'u=rwx,go=rx' in result['msg']
    assert hadoop.calls('PUT') == []


def test_unquoted_yaml_mode_is_not_misread(hadoop, run_module):
    status_route(hadoop, file_status(DIR))
    write_routes(hadoop)
    result = run_module(hdfs_path, args(mode=0o644))  # what YAML 1.1 makes of `mode: 0644`
    sent = [r.query['permission'] for r in hadoop.requests if r.query.get('op') == 'SETPERMISSION']
    assert result.get('failed') or sent == ['644']


def test_paths_in_one_call_change_only_what_differs(hadoop, run_module):
    """Two directories: one in place (read only), one missing (created with its own mode)."""
    present = dict(file_status(DIR), owner='mapred', group='hadoop', permission='1777')
    created = file_status(DIR)
    final = dict(created, owner='mapred', group='hadoop', permission='770')
    status_route(hadoop, present, path='/webhdfs/v1/mr-history/tmp')
    status_route(hadoop, None, created, final, path='/webhdfs/v1/mr-history/done')
    write_routes(hadoop, path='/webhdfs/v1/mr-history/done')
    result = run_module(hdfs_path, {'paths': [{'path': '/mr-history/tmp', 'mode': '1777'},
                                              {'path': '/mr-history/done/', 'mode': '0770'}],
                                    'owner': 'mapred', 'group': 'hadoop', 'namenode_url': NAMENODE_URL,
                                    'user': 'hdfs', '_ansible_diff': True})
    assert result['changed'] is True
    assert [(p['path'], p['changed'], p['status']['mode']) for p in result['paths']] == [
        ('/mr-history/tmp', False, '1777'), ('/mr-history/done', True, '770')]
    assert [r.query['op'] for r in hadoop.requests if r.method == 'PUT'] == ['MKDIRS', 'SETOWNER', 'SETPERMISSION']
    assert [d['before_header'] for d in result['diff']] == ['/mr-history/done']


def test_paths_in_place_change_nothing_and_write_nothing(hadoop, run_module):
    status_route(hadoop, dict(file_status(DIR), owner='spark', group='hadoop', permission='755'),
                 path='/webhdfs/v1/user/spark')
    result = run_module(hdfs_path, {'paths': [{'path': '/user/spark', 'owner': 'spark'}], 'group': 'hadoop',
                                    'mode': '0755', 'namenode_url': NAMENODE_URL, 'user': 'hdfs'})
    assert result['changed'] is False and result['diff'] == []
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


@pytest.mark.parametrize('extra, message', [
    ({'path': '/data', 'paths': [{'path': '/x'}]}, 'mutually exclusive'),
    ({}, 'one of the following is required'),
    ({'paths': [{'path': '/x'}], 'state': 'absent'}, 'use path with state=absent'),
])
def test_path_or_paths(hadoop, run_module, extra, message):
    result = run_module(hdfs_path, dict({'namenode_url': NAMENODE_URL}, **extra))
    assert result['failed'] is True and message in result['msg']
    assert hadoop.calls() == []
