# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_copy
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, Reply, derived_create_done, derived_create_redirect, derived_empty_ok, file_status, not_found)

FILE, DIR = 'webhdfs_GETFILESTATUS_file.json', 'webhdfs_GETFILESTATUS_dir.json'
DEST = '/data/hello.txt'
WEB = '/webhdfs/v1' + DEST
LENGTH = file_status(FILE)['length']  # 16 bytes in the capture


@pytest.fixture
def src(tmp_path):
    """A local file whose bytes differ per test; its length is what matters."""
    def make(length):
        path = tmp_path / 'hello.txt'
        path.write_bytes(bytes(bytearray(i % 256 for i in range(length))))
        return str(path)
    return make


def args(src, **kwargs):
    return dict({'src': src, 'dest': DEST, 'namenode_url': NAMENODE_URL, 'user': 'root'}, **kwargs)


def routes(hadoop, *statuses):
    hadoop.on('GET', WEB, *[not_found() if s is None else Reply.json({'FileStatus': s}) for s in statuses],
              op='GETFILESTATUS')
    hadoop.on('PUT', WEB, derived_create_redirect(DEST), derived_create_done(DEST), op='CREATE')
    hadoop.on('PUT', WEB, derived_empty_ok(), op='SETOWNER')
    hadoop.on('PUT', WEB, derived_empty_ok(), op='SETPERMISSION')


def assert_uploaded(hadoop, data, overwrite='true'):
    creates = [r for r in hadoop.requests if r.query.get('op') == 'CREATE']
    first, second = creates
    assert first.method == second.method == 'PUT'
    assert first.netloc == 'nn1.example.com:9870'
    assert first.follow_redirects == 'none'
    assert first.query['overwrite'] == overwrite
    assert first.data is None
    assert second.url == derived_create_redirect(DEST).headers['Location']
    assert second.data == data
    assert second.headers['Content-Length'] == str(len(data))


def test_missing_dest_is_uploaded(hadoop, run_module, src):
    path = src(LENGTH)
    routes(hadoop, None, file_status(FILE))
    result = run_module(hdfs_copy, args(path))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('PUT', 'CREATE'), ('PUT', 'CREATE'),
                              ('GET', 'GETFILESTATUS'), ('GET', 'GETFILESTATUS')]
    with open(path, 'rb') as handle:
        assert_uploaded(hadoop, handle.read())
    assert result['diff']['before'] == {'state': 'absent'}
    assert result['status'] == {'state': 'file', 'owner': 'root', 'group': 'supergroup', 'mode': '644',
                                'length': LENGTH}


def test_same_length_is_left_alone(hadoop, run_module, src):
    routes(hadoop, file_status(FILE))
    result = run_module(hdfs_copy, args(src(LENGTH), mode='0644', owner='root'))
    assert result['changed'] is False
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


def test_different_length_is_uploaded_again(hadoop, run_module, src):
    path = src(LENGTH + 5)
    # Derived: the captured FileStatus after the upload, with the new length.
    routes(hadoop, file_status(FILE), dict(file_status(FILE), length=LENGTH + 5))
    result = run_module(hdfs_copy, args(path))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH + 5
    with open(path, 'rb') as handle:
        assert_uploaded(hadoop, handle.read(), overwrite='true')
    assert result['diff']['before']['length'] == LENGTH
    assert result['diff']['after']['length'] == LENGTH + 5


def test_upload_then_attributes(hadoop, run_module, src):
    # Derived statuses: as created (captured), then after SETOWNER/SETPERMISSION.
    created = file_status(FILE)
    final = dict(created, owner='spark', permission='444')
    routes(hadoop, None, created, final)
    result = run_module(hdfs_copy, args(src(LENGTH), owner='spark', mode='0444'))
    assert result['changed'] is True
    assert hadoop.requests[1].query['permission'] == '444'
    assert hadoop.calls('PUT') == [('PUT', 'CREATE'), ('PUT', 'CREATE'), ('PUT', 'SETOWNER'), ('PUT', 'SETPERMISSION')]
    assert result['status']['owner'] == 'spark' and result['status']['mode'] == '444'


def test_same_length_other_mode_only_sets_permission(hadoop, run_module, src):
    routes(hadoop, file_status(FILE), dict(file_status(FILE), permission='600'))
    result = run_module(hdfs_copy, args(src(LENGTH), mode='0600'))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls('PUT') == [('PUT', 'SETPERMISSION')]


@pytest.mark.parametrize('exists', [False, True])
def test_check_mode_uploads_nothing(hadoop, run_module, src, exists):
    routes(hadoop, file_status(FILE) if exists else None)
    result = run_module(hdfs_copy, args(src(LENGTH + 1)), check_mode=True)
    assert result['changed'] is True
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]
    assert result['diff']['after']['length'] == LENGTH + 1


def test_dest_is_a_directory(hadoop, run_module, src):
    hadoop.on('GET', '/webhdfs/v1/data', Reply.captured(DIR), op='GETFILESTATUS')
    result = run_module(hdfs_copy, args(src(LENGTH), dest='/data'))
    assert result['failed'] is True
    assert result['msg'] == '/data exists in HDFS and is a directory; choose a file path'
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')]


def test_missing_src(hadoop, run_module, tmp_path):
    result = run_module(hdfs_copy, args(str(tmp_path / 'nope')))
    assert result['failed'] is True
    assert 'is not a file' in result['msg']
    assert hadoop.requests == []


def test_datanode_refuses_the_bytes(hadoop, run_module, src):
    # Derived: the DataNode step answers the captured RemoteException body with 403.
    hadoop.on('GET', WEB, not_found(), op='GETFILESTATUS')
    hadoop.on('PUT', WEB, derived_create_redirect(DEST),
              Reply.captured('webhdfs_GETFILESTATUS_missing_404.json', 403), op='CREATE')
    result = run_module(hdfs_copy, args(src(LENGTH)))
    assert result['failed'] is True
    assert result['msg'].startswith('PUT %s answered HTTP 403: ' % derived_create_redirect(DEST).headers['Location'])


def test_symbolic_mode_fails_cleanly(hadoop, run_module, src):
    routes(hadoop, file_status(FILE))
    result = run_module(hdfs_copy, args(src(LENGTH), mode='a+r'))
    assert result['failed'] is True
    assert hadoop.calls('PUT') == []
