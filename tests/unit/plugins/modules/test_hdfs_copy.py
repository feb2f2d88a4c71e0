# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

import pytest

from ansible_collections.datafleet.hadoop.plugins.modules import hdfs_copy
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    NAMENODE_URL, FakeHdfsFile, Reply, derived_checksum, derived_create_redirect, derived_empty_ok, file_status,
    not_found)

FILE, DIR = 'webhdfs_GETFILESTATUS_file.json', 'webhdfs_GETFILESTATUS_dir.json'
DEST = '/data/hello.txt'
WEB = '/webhdfs/v1' + DEST
LENGTH = file_status(FILE)['length']  # 16 bytes in the capture
XATTR = 'user.datafleet.source'

OLD = b'hello, hdfs 1.0\n'
NEW = b'hello, hdfs 2.0\n'  # same length, other bytes
assert len(OLD) == len(NEW) == LENGTH


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def record(data, source=None):
    """The attribute value the module writes after uploading data (derived checksum, see _fakes),
    with the source file's '<size>:<mtime ns>' when given."""
    checksum = derived_checksum(data)
    value = {'sha256': sha256(data), 'hdfs': '%s:%s' % (checksum['algorithm'], checksum['bytes'])}
    if source is not None:
        value['source'] = source
    return json.dumps(value, separators=(',', ':'))


def stamp(path):
    info = os.stat(path)
    return '%d:%d' % (info.st_size, info.st_mtime_ns)


@pytest.fixture
def src(tmp_path):
    """make(data) writes the local source file and gives its path."""
    def make(data):
        path = tmp_path / 'hello.txt'
        path.write_bytes(data)
        return str(path)
    return make


def hdfs(hadoop, content=None, recorded=None, xattr=None, **kwargs):
    """dest in the fake HDFS: content, with the attribute the module records for recorded
    (or the raw attribute value xattr)."""
    if recorded is not None:
        xattr = record(recorded)
    xattrs = {XATTR: xattr.encode('utf-8')} if xattr is not None else {}
    return FakeHdfsFile(DEST, content, xattrs, **kwargs).install(hadoop)


def args(src, **kwargs):
    return dict({'src': src, 'dest': DEST, 'namenode_url': NAMENODE_URL, 'user': 'root'}, **kwargs)


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


def assert_recorded(hadoop, fake, data, path):
    """The module recorded data's sha256, the checksum HDFS reported after the upload and the
    size and modification time of the source file."""
    setxattr, = [r for r in hadoop.requests if r.query.get('op') == 'SETXATTR']
    assert setxattr.query == {'op': 'SETXATTR', 'user.name': 'root', 'xattr.name': XATTR, 'flag': 'CREATE',
                              'xattr.value': '"%s"' % record(data, stamp(path))}
    assert fake.xattrs == {XATTR: record(data, stamp(path)).encode('utf-8')}


UPLOAD = [('PUT', 'CREATE'), ('PUT', 'CREATE'), ('GET', 'GETFILECHECKSUM'), ('PUT', 'SETXATTR'),
          ('GET', 'GETFILESTATUS')]


def test_missing_dest_is_uploaded(hadoop, run_module, src, tmp_path):
    fake = hdfs(hadoop)
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH
    assert result['sha256'] == sha256(NEW)
    assert hadoop.calls() == [('GET', 'GETFILESTATUS')] + UPLOAD + [('GET', 'GETFILESTATUS')]
    assert_uploaded(hadoop, NEW)
    assert_recorded(hadoop, fake, NEW, str(tmp_path / 'hello.txt'))
    assert fake.content == NEW
    assert result['diff']['before'] == {'state': 'absent'}
    assert result['status'] == {'state': 'file', 'owner': 'root', 'group': 'supergroup', 'mode': '644',
                                'length': LENGTH}
    assert result['diff']['after'] == dict(result['status'], sha256=sha256(NEW))


def test_changed_file_of_the_same_length_is_uploaded(hadoop, run_module, src, tmp_path):
    # The HDFS copy holds OLD, recorded by an earlier run; src now holds NEW, of the same length.
    fake = hdfs(hadoop, OLD, recorded=OLD)
    result = run_module(hdfs_copy, args(src(NEW), mode='0644', owner='root'))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH
    # The sha256 differs: no GETFILECHECKSUM before the upload.
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS')] + UPLOAD + [('GET', 'GETFILESTATUS')]
    assert_uploaded(hadoop, NEW)
    assert_recorded(hadoop, fake, NEW, str(tmp_path / 'hello.txt'))
    assert fake.content == NEW
    assert result['diff']['before']['sha256'] == sha256(OLD)
    assert result['diff']['after']['sha256'] == result['sha256'] == sha256(NEW)
    assert result['diff']['before']['length'] == result['diff']['after']['length'] == LENGTH


def test_unchanged_file_is_left_alone(hadoop, run_module, src):
    fake = hdfs(hadoop, NEW, recorded=NEW)
    result = run_module(hdfs_copy, args(src(NEW), mode='0644', owner='root'))
    assert result['changed'] is False
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')]
    getxattrs = hadoop.requests[1]
    assert getxattrs.query == {'op': 'GETXATTRS', 'user.name': 'root', 'xattr.name': XATTR, 'encoding': 'text'}
    assert fake.uploads == []
    assert result['diff']['before'] == result['diff']['after']
    assert result['diff']['before']['sha256'] == sha256(NEW)


def test_unchanged_source_with_its_stamp_recorded_is_not_read(hadoop, run_module, src, monkeypatch):
    path = src(NEW)
    fake = hdfs(hadoop, NEW, xattr=record(NEW, stamp(path)))

    def no_reading(*args):
        raise AssertionError('the source was read')
    monkeypatch.setattr(hdfs_copy.AnsibleModule, 'sha256', no_reading)
    result = run_module(hdfs_copy, args(path))
    assert result['changed'] is False
    assert result['sha256'] == sha256(NEW)
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')]
    assert fake.uploads == []


def test_a_touched_source_is_read_and_compared_by_content(hadoop, run_module, src):
    path = src(NEW)
    fake = hdfs(hadoop, NEW, xattr=record(NEW, stamp(path)))
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10 ** 9))
    result = run_module(hdfs_copy, args(path))
    # Same bytes: nothing to upload, and the record is left as it is.
    assert result['changed'] is False
    assert fake.uploads == []
    assert fake.xattrs == {XATTR: record(NEW, '%d:%d' % (info.st_size, info.st_mtime_ns)).encode('utf-8')}


def test_a_rewritten_source_with_the_recorded_size_and_another_time_is_uploaded(hadoop, run_module, src, tmp_path):
    path = src(OLD)
    recorded = stamp(path)
    src(NEW)
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, int(recorded.split(':')[1]) + 10 ** 9))
    fake = hdfs(hadoop, OLD, xattr=record(OLD, recorded))
    result = run_module(hdfs_copy, args(path))
    assert result['changed'] is True
    assert_recorded(hadoop, fake, NEW, path)


def test_file_rewritten_in_hdfs_is_uploaded(hadoop, run_module, src, tmp_path):
    # Another client rewrote the bytes in place (truncate and append keep the inode and
    # its attribute): the sha256 recorded still matches src, the HDFS checksum does not.
    fake = hdfs(hadoop, OLD, recorded=NEW)
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')] \
        + UPLOAD + [('GET', 'GETFILESTATUS')]
    assert_uploaded(hadoop, NEW)
    assert_recorded(hadoop, fake, NEW, str(tmp_path / 'hello.txt'))
    assert result['diff']['before']['sha256'] == result['diff']['after']['sha256'] == sha256(NEW)


@pytest.mark.parametrize('xattr', [None, 'not json', '{"sha256": 1}'], ids=['missing', 'garbage', 'incomplete'])
def test_file_without_a_usable_attribute_is_uploaded_once(hadoop, run_module, src, xattr, tmp_path):
    # The same bytes, uploaded by an older version of the module or by another tool.
    fake = hdfs(hadoop, NEW, xattr=xattr)
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS')] + UPLOAD + [('GET', 'GETFILESTATUS')]
    assert_recorded(hadoop, fake, NEW, str(tmp_path / 'hello.txt'))
    assert result['diff']['before']['sha256'] is None
    del hadoop.requests[:]
    again = run_module(hdfs_copy, args(src(NEW)))
    assert again['changed'] is False
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')]
    assert fake.uploads == [NEW]


def test_different_length_is_uploaded_again(hadoop, run_module, src, tmp_path):
    data = NEW + b'12345'
    fake = hdfs(hadoop, OLD, recorded=OLD)
    result = run_module(hdfs_copy, args(src(data)))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == LENGTH + 5
    assert hadoop.calls('GET')[:3] == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')]
    assert hadoop.calls()[2] == ('PUT', 'CREATE')  # no checksum before the upload
    assert_uploaded(hadoop, data, overwrite='true')
    assert_recorded(hadoop, fake, data, str(tmp_path / 'hello.txt'))
    assert result['diff']['before']['length'] == LENGTH
    assert result['diff']['after']['length'] == LENGTH + 5


def test_upload_then_attributes(hadoop, run_module, src):
    fake = hdfs(hadoop)
    result = run_module(hdfs_copy, args(src(NEW), owner='spark', mode='0444'))
    assert result['changed'] is True
    # Created writable by its owner so that SETXATTR is allowed, then set to the mode asked for.
    assert hadoop.requests[1].query['permission'] == '644'
    assert hadoop.calls('PUT') == [('PUT', 'CREATE'), ('PUT', 'CREATE'), ('PUT', 'SETXATTR'), ('PUT', 'SETOWNER'),
                                   ('PUT', 'SETPERMISSION')]
    assert [r.query['permission'] for r in hadoop.requests if r.query['op'] == 'SETPERMISSION'] == ['444']
    assert result['status']['owner'] == 'spark' and result['status']['mode'] == '444'
    assert fake.status()['owner'] == 'spark' and fake.status()['permission'] == '444'


def test_same_content_other_mode_only_sets_permission(hadoop, run_module, src):
    hdfs(hadoop, NEW, recorded=NEW)
    result = run_module(hdfs_copy, args(src(NEW), mode='0600'))
    assert result['changed'] is True
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls('PUT') == [('PUT', 'SETPERMISSION')]
    assert result['diff']['after']['mode'] == '600'
    assert result['diff']['after']['sha256'] == sha256(NEW)


@pytest.mark.parametrize('content, recorded, calls', [
    (None, None, [('GET', 'GETFILESTATUS')]),
    (OLD, OLD, [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS')]),
    (OLD, NEW, [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS'), ('GET', 'GETFILECHECKSUM')]),
    (NEW, None, [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS')]),
], ids=['absent', 'changed', 'rewritten-in-hdfs', 'no-attribute'])
def test_check_mode_uploads_nothing(hadoop, run_module, src, content, recorded, calls):
    fake = hdfs(hadoop, content, recorded=recorded)
    xattrs = dict(fake.xattrs)
    result = run_module(hdfs_copy, args(src(NEW), mode='0600'), check_mode=True)
    assert result['changed'] is True
    assert result['uploaded_bytes'] == 0
    assert hadoop.calls() == calls
    assert fake.content == content and fake.xattrs == xattrs and fake.uploads == []
    assert result['sha256'] == sha256(NEW)
    assert result['diff']['after']['sha256'] == sha256(NEW)
    assert result['diff']['after']['mode'] == '600'
    if content is not None:
        assert result['diff']['before']['sha256'] == (sha256(recorded) if recorded else None)


def test_check_mode_unchanged(hadoop, run_module, src):
    hdfs(hadoop, NEW, recorded=NEW)
    result = run_module(hdfs_copy, args(src(NEW)), check_mode=True)
    assert result['changed'] is False
    assert hadoop.calls('PUT') == []


def test_xattrs_disabled_fail_before_uploading(hadoop, run_module, src):
    fake = hdfs(hadoop, OLD, recorded=None, xattrs_enabled=False)
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['failed'] is True
    assert 'dfs.namenode.xattrs.enabled' in result['msg']
    assert result['msg'].startswith('WebHDFS GETXATTRS user.datafleet.source on /data/hello.txt was refused: '
                                    'extended attributes are disabled on the NameNode')
    assert hadoop.calls() == [('GET', 'GETFILESTATUS'), ('GET', 'GETXATTRS')]
    assert fake.uploads == []


def test_xattrs_disabled_fail_after_uploading_a_new_file(hadoop, run_module, src):
    fake = hdfs(hadoop, None, xattrs_enabled=False)
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['failed'] is True
    assert result['msg'] == (
        'WebHDFS SETXATTR user.datafleet.source on /data/hello.txt was refused: extended attributes are '
        'disabled on the NameNode (dfs.namenode.xattrs.enabled is false). Set dfs.namenode.xattrs.enabled to '
        'true (the Hadoop default) in hdfs-site.xml and restart the NameNode. hdfs_copy records the sha256 of '
        'what it uploads in the extended attribute user.datafleet.source of /data/hello.txt to tell whether '
        'the file is up to date')
    assert hadoop.calls()[-1] == ('PUT', 'SETXATTR')
    assert fake.xattrs == {}


def test_dest_is_a_directory(hadoop, run_module, src):
    hadoop.on('GET', '/webhdfs/v1/data', Reply.captured(DIR), op='GETFILESTATUS')
    result = run_module(hdfs_copy, args(src(NEW), dest='/data'))
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
    result = run_module(hdfs_copy, args(src(NEW)))
    assert result['failed'] is True
    assert result['msg'].startswith('PUT %s answered HTTP 403: ' % derived_create_redirect(DEST).headers['Location'])
    assert ('PUT', 'SETXATTR') not in hadoop.calls()


def test_symbolic_mode_fails_cleanly(hadoop, run_module, src):
    hdfs(hadoop, OLD, recorded=OLD)
    result = run_module(hdfs_copy, args(src(NEW), mode='a+r'))
    assert result['failed'] is True
    assert hadoop.calls('PUT') == []


def test_directories_first_then_the_file_in_one_call(hadoop, run_module, src):
    """The directories of paths are made what they should be before the copy: in place, nothing is written; with
    another mode, only that is set; the file, up to date, is left alone."""
    fake = hdfs(hadoop, NEW, recorded=NEW)
    home = dict(file_status(DIR), owner='spark', group='supergroup', permission='755')
    apps = dict(file_status(DIR), owner='root', group='supergroup', permission='700')
    hadoop.on('GET', '/webhdfs/v1/user/spark', Reply.json({'FileStatus': home}), op='GETFILESTATUS')
    hadoop.on('GET', '/webhdfs/v1/data', Reply.json({'FileStatus': apps}),
              Reply.json({'FileStatus': dict(apps, permission='755')}), op='GETFILESTATUS')
    hadoop.on('PUT', '/webhdfs/v1/data', derived_empty_ok(), op='SETPERMISSION')
    result = run_module(hdfs_copy, args(src(NEW), paths=[{'path': '/user/spark', 'owner': 'spark'},
                                                         {'path': '/data', 'mode': '0755'}], _ansible_diff=True))
    assert result['changed'] is True and result['uploaded_bytes'] == 0 and fake.uploads == []
    assert [(p['path'], p['changed'], p['status']['mode']) for p in result['paths']] == [
        ('/user/spark', False, '755'), ('/data', True, '755')]
    assert hadoop.calls('PUT') == [('PUT', 'SETPERMISSION')]
    assert [d['before_header'] for d in result['diff']] == ['/data', DEST]
