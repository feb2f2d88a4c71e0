# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The few WebHDFS operations the modules need."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError


class WebHdfs(object):
    def __init__(self, client, user=None):
        self.client = client
        self.user = user

    def _path(self, path):
        if not path.startswith('/'):
            raise HadoopHttpError('HDFS path %r is not absolute' % path)
        return '/webhdfs/v1' + quote(path)

    def _query(self, op, **params):
        query = dict((k, v) for k, v in params.items() if v is not None)
        query['op'] = op
        if self.user:
            query['user.name'] = self.user
        return query

    def status(self, path):
        """FileStatus dict, or None when the path does not exist."""
        try:
            data = self.client.get_json(self._path(path), self._query('GETFILESTATUS'))
        except HadoopHttpError as e:
            if e.status == 404:
                return None
            raise
        return data['FileStatus']

    def _put(self, path, op, **params):
        return self.client.request('PUT', self._path(path), self._query(op, **params)).json()

    def mkdirs(self, path, permission=None):
        result = self._put(path, 'MKDIRS', permission=permission)
        if not result.get('boolean'):
            raise HadoopHttpError('WebHDFS refused to create directory %s' % path)

    def set_owner(self, path, owner=None, group=None):
        self._put(path, 'SETOWNER', owner=owner, group=group)

    def set_permission(self, path, permission):
        self._put(path, 'SETPERMISSION', permission=permission)

    def delete(self, path, recursive=False):
        resp = self.client.request('DELETE', self._path(path),
                                   self._query('DELETE', recursive=str(bool(recursive)).lower()))
        return resp.json().get('boolean', False)

    def create(self, path, data, overwrite=False, permission=None, length=None):
        """Two-step create: the NameNode redirects to a DataNode that takes the bytes."""
        first = self.client.request(
            'PUT', self._path(path),
            self._query('CREATE', overwrite=str(bool(overwrite)).lower(), permission=permission,
                        noredirect='false'),
            follow_redirects='none', expected=(307,))
        location = first.headers.get('Location') or first.headers.get('location')
        if not location:
            raise HadoopHttpError('WebHDFS CREATE %s gave no DataNode location' % path)
        headers = {'Content-Type': 'application/octet-stream'}
        if length is not None:
            headers['Content-Length'] = str(length)
        self.client.request('PUT', location, data=data, headers=headers, expected=(201,))

    def checksum(self, path):
        data = self.client.get_json(self._path(path), self._query('GETFILECHECKSUM'))
        return data['FileChecksum']


def normalize_mode(mode):
    """'0755', '755' and 0o755 all become '755'; the sticky bit stays ('1777').

    An integer is the mode itself, as YAML reads an unquoted 0755. Anything
    else that is not octal raises ValueError with a message for the user.
    """
    if mode is None:
        return None
    if isinstance(mode, int) and not isinstance(mode, bool):
        value = mode
    else:
        try:
            value = int(str(mode), 8)
        except ValueError:
            value = -1
    if not 0 <= value <= 0o1777:
        raise ValueError('mode %r is not an octal permission such as "0755" or "1777"' % (mode,))
    return '%o' % value


def attribute_changes(status, owner=None, group=None, mode=None):
    """What SETOWNER/SETPERMISSION must change on an existing path, as a dict."""
    changes = {}
    if owner is not None and status.get('owner') != owner:
        changes['owner'] = owner
    if group is not None and status.get('group') != group:
        changes['group'] = group
    mode = normalize_mode(mode)
    if mode is not None and normalize_mode(status.get('permission', '0')) != mode:
        changes['mode'] = mode
    return changes


def apply_attributes(fs, path, changes):
    if 'owner' in changes or 'group' in changes:
        fs.set_owner(path, owner=changes.get('owner'), group=changes.get('group'))
    if 'mode' in changes:
        fs.set_permission(path, changes['mode'])


def describe(status):
    """The part of a FileStatus that diffs show."""
    if status is None:
        return {'state': 'absent'}
    return {
        'state': 'directory' if status.get('type') == 'DIRECTORY' else 'file',
        'owner': status.get('owner'),
        'group': status.get('group'),
        'mode': normalize_mode(status.get('permission', '0')),
        'length': status.get('length'),
    }
