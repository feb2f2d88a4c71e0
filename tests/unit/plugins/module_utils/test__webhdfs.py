# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError, HttpClient
from ansible_collections.datafleet.hadoop.plugins.module_utils._webhdfs import (
    WebHdfs, XAttrRefused, attribute_changes, describe, normalize_mode)
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeHadoop, Reply, derived_checksum, derived_create_done, derived_create_redirect,
    derived_empty_ok, derived_remote_exception, derived_xattr_missing, derived_xattrs, derived_xattrs_disabled,
    file_status, not_found)

DIR, FILE = 'webhdfs_GETFILESTATUS_dir.json', 'webhdfs_GETFILESTATUS_file.json'


def fs(fake, user='root'):
    return WebHdfs(HttpClient(NAMENODE_URL, opener=fake), user=user)


@pytest.mark.parametrize('mode, expected', [
    ('0755', '755'), ('755', '755'), (0o755, '755'), ('1777', '1777'), ('01777', '1777'), ('0', '0'), (None, None),
])
def test_normalize_mode(mode, expected):
    assert normalize_mode(mode) == expected


@pytest.mark.parametrize('name, expected', [
    (DIR, {'state': 'directory', 'owner': 'root', 'group': 'supergroup', 'mode': '755', 'length': 0}),
    (FILE, {'state': 'file', 'owner': 'root', 'group': 'supergroup', 'mode': '644', 'length': 16}),
])
def test_describe_captured_status(name, expected):
    assert describe(file_status(name)) == expected


def test_describe_missing():
    assert describe(None) == {'state': 'absent'}


@pytest.mark.parametrize('owner, group, mode, expected', [
    (None, None, None, {}),
    ('root', 'supergroup', '0755', {}),
    ('root', 'supergroup', '755', {}),
    ('spark', None, None, {'owner': 'spark'}),
    (None, 'hadoop', '0755', {'group': 'hadoop'}),
    (None, None, '1777', {'mode': '1777'}),
    ('spark', 'hadoop', '0750', {'owner': 'spark', 'group': 'hadoop', 'mode': '750'}),
])
def test_attribute_changes_against_the_captured_directory(owner, group, mode, expected):
    assert attribute_changes(file_status(DIR), owner, group, mode) == expected


def test_status_of_the_captured_file():
    fake = FakeHadoop().on('GET', '/webhdfs/v1/data/hello.txt', Reply.captured(FILE), op='GETFILESTATUS')
    assert fs(fake).status('/data/hello.txt') == file_status(FILE)
    assert fake.requests[0].query == {'op': 'GETFILESTATUS', 'user.name': 'root'}


def test_status_of_a_missing_path_is_none():
    fake = FakeHadoop().on('GET', '/webhdfs/v1/no/such/path', not_found(), op='GETFILESTATUS')
    assert fs(fake).status('/no/such/path') is None


def test_status_other_errors_propagate():
    # Derived: the captured RemoteException body served with status 403.
    fake = FakeHadoop().on('GET', '/webhdfs/v1/data', Reply.captured('webhdfs_GETFILESTATUS_missing_404.json', 403))
    with pytest.raises(HadoopHttpError) as e:
        fs(fake).status('/data')
    assert e.value.status == 403


def test_relative_path_is_refused_without_a_request():
    fake = FakeHadoop()
    with pytest.raises(HadoopHttpError, match="'data' is not absolute"):
        fs(fake).status('data')
    assert fake.requests == []


def test_path_is_quoted_and_user_optional():
    fake = FakeHadoop().on('GET', '/webhdfs/v1/a%20b', not_found())
    fs(fake, user=None).status('/a b')
    assert fake.requests[0].url == NAMENODE_URL + '/webhdfs/v1/a%20b?op=GETFILESTATUS'


def test_mkdirs_refused():
    fake = FakeHadoop().on('PUT', '/webhdfs/v1/x', Reply.json({'boolean': False}), op='MKDIRS')
    with pytest.raises(HadoopHttpError, match='refused to create directory /x'):
        fs(fake).mkdirs('/x')


def test_create_is_two_steps():
    # Derived 307/201 answers (the capture holds no CREATE), see _fakes.
    redirect = derived_create_redirect('/apps/x.jar')
    fake = FakeHadoop().on('PUT', '/webhdfs/v1/apps/x.jar', redirect, derived_create_done('/apps/x.jar'), op='CREATE')
    fs(fake).create('/apps/x.jar', b'0123456789', overwrite=True, permission='644', length=10)
    first, second = fake.requests
    assert first.netloc == 'nn1.example.com:9870'
    assert first.query == {'op': 'CREATE', 'overwrite': 'true', 'permission': '644', 'noredirect': 'false',
                           'user.name': 'root'}
    assert first.follow_redirects == 'none'
    assert first.data is None
    assert second.url == redirect.headers['Location']
    assert second.netloc == '127.0.0.1:9864'
    assert second.data == b'0123456789'
    assert second.headers == {'Content-Type': 'application/octet-stream', 'Content-Length': '10'}


def test_create_without_location_fails():
    # Derived: a 307 that names no DataNode.
    fake = FakeHadoop().on('PUT', '/webhdfs/v1/x', Reply(307, b''))
    with pytest.raises(HadoopHttpError, match='WebHDFS CREATE /x gave no DataNode location'):
        fs(fake).create('/x', b'')
    assert len(fake.requests) == 1


# GETFILECHECKSUM, GETXATTRS and SETXATTR answers are derived (not captured), see _fakes.
HELLO = '/webhdfs/v1/data/hello.txt'


def test_checksum():
    checksum = derived_checksum(b'hello')
    fake = FakeHadoop().on('GET', HELLO, Reply.json({'FileChecksum': checksum}), op='GETFILECHECKSUM')
    assert fs(fake).checksum('/data/hello.txt') == checksum
    assert fake.requests[0].query == {'op': 'GETFILECHECKSUM', 'user.name': 'root'}


def test_get_xattr_strips_the_text_quotes():
    fake = FakeHadoop().on('GET', HELLO, derived_xattrs('user.x', '{"a":"b"}'), op='GETXATTRS')
    assert fs(fake).get_xattr('/data/hello.txt', 'user.x') == '{"a":"b"}'
    assert fake.requests[0].query == {'op': 'GETXATTRS', 'xattr.name': 'user.x', 'encoding': 'text',
                                      'user.name': 'root'}


def test_get_xattr_of_another_name_is_none():
    fake = FakeHadoop().on('GET', HELLO, derived_xattrs('user.other', 'v'), op='GETXATTRS')
    assert fs(fake).get_xattr('/data/hello.txt', 'user.x') is None


@pytest.mark.parametrize('reply', [
    derived_xattr_missing(),
    derived_remote_exception(403, 'XAttr: user.x does not exist'),
    derived_remote_exception(403, 'At least one of the attributes provided was not found.', 'XAttrNotFoundException',
                             'org.apache.hadoop.hdfs.protocol.XAttrNotFoundException'),
    not_found(),
], ids=['not-found', 'does-not-exist', 'XAttrNotFoundException', 'file-gone'])
def test_get_xattr_missing_is_none(reply):
    fake = FakeHadoop().on('GET', HELLO, reply, op='GETXATTRS')
    assert fs(fake).get_xattr('/data/hello.txt', 'user.x') is None


def test_get_xattr_disabled_names_the_setting():
    fake = FakeHadoop().on('GET', HELLO, derived_xattrs_disabled(), op='GETXATTRS')
    with pytest.raises(XAttrRefused) as e:
        fs(fake).get_xattr('/data/hello.txt', 'user.x')
    assert e.value.disabled is True
    assert e.value.status == 403
    assert 'dfs.namenode.xattrs.enabled is false' in str(e.value)


@pytest.mark.parametrize('reply', [
    derived_remote_exception(403, 'Permission denied: user=dr.who, access=READ', 'AccessControlException',
                             'org.apache.hadoop.security.AccessControlException'),
    Reply(403, b'<html>Forbidden</html>'),
    Reply(500, b''),
], ids=['permission', 'not-webhdfs', 'server-error'])
def test_get_xattr_other_errors_propagate(reply):
    fake = FakeHadoop().on('GET', HELLO, reply, op='GETXATTRS')
    with pytest.raises(HadoopHttpError) as e:
        fs(fake).get_xattr('/data/hello.txt', 'user.x')
    assert not isinstance(e.value, XAttrRefused)


@pytest.mark.parametrize('flag', ['CREATE', 'REPLACE'])
def test_set_xattr_sends_text_in_quotes(flag):
    fake = FakeHadoop().on('PUT', HELLO, derived_empty_ok(), op='SETXATTR')
    fs(fake).set_xattr('/data/hello.txt', 'user.x', '{"a":"b c"}', flag=flag)
    request, = fake.requests
    assert request.query == {'op': 'SETXATTR', 'xattr.name': 'user.x', 'xattr.value': '"{"a":"b c"}"',
                             'flag': flag, 'user.name': 'root'}
    assert '%22%7B%22a%22%3A%22b+c%22%7D%22' in request.url  # URL-encoded


@pytest.mark.parametrize('reply, disabled, text', [
    (derived_xattrs_disabled(), True, 'extended attributes are disabled on the NameNode '
                                      '(dfs.namenode.xattrs.enabled is false). Set dfs.namenode.xattrs.enabled to '
                                      'true (the Hadoop default)'),
    (derived_remote_exception(400, 'Invalid value: "flag" = "BOTH"', 'IllegalArgumentException',
                              'java.lang.IllegalArgumentException'),
     False, '(HTTP 400, IllegalArgumentException: Invalid value: "flag" = "BOTH"). Extended attributes need '
            'dfs.namenode.xattrs.enabled=true (the Hadoop default) and the WebHDFS user needs write access'),
])
def test_set_xattr_refused(reply, disabled, text):
    fake = FakeHadoop().on('PUT', HELLO, reply, op='SETXATTR')
    with pytest.raises(XAttrRefused) as e:
        fs(fake).set_xattr('/data/hello.txt', 'user.x', 'v')
    assert e.value.disabled is disabled
    assert str(e.value).startswith('WebHDFS SETXATTR user.x on /data/hello.txt was refused')
    assert text in str(e.value)


def test_set_xattr_server_error_propagates():
    fake = FakeHadoop().on('PUT', HELLO, Reply(500, b'boom'), op='SETXATTR')
    with pytest.raises(HadoopHttpError) as e:
        fs(fake).set_xattr('/data/hello.txt', 'user.x', 'v')
    assert not isinstance(e.value, XAttrRefused) and e.value.status == 500
