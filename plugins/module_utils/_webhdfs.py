# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The few WebHDFS operations the modules need."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import HadoopHttpError

XATTRS_ENABLED_KEY = 'dfs.namenode.xattrs.enabled'


def remote_exception(body):
    """The RemoteException dict of a WebHDFS error body, or {}."""
    try:
        data = json.loads(to_text(body or b''))
    except ValueError:
        return {}
    remote = data.get('RemoteException') if isinstance(data, dict) else None
    return remote if isinstance(remote, dict) else {}


class XAttrRefused(HadoopHttpError):
    """The NameNode refused an extended attribute operation (HTTP 400/403 with a RemoteException).

    disabled is True when the reason is dfs.namenode.xattrs.enabled=false.
    """

    def __init__(self, op, path, name, error):
        remote = remote_exception(error.body)
        reason = remote.get('message') or str(error)
        self.disabled = XATTRS_ENABLED_KEY in reason
        if self.disabled:
            message = ('WebHDFS %s %s on %s was refused: extended attributes are disabled on the NameNode '
                       '(%s is false). Set %s to true (the Hadoop default) in hdfs-site.xml and restart '
                       'the NameNode' % (op, name, path, XATTRS_ENABLED_KEY, XATTRS_ENABLED_KEY))
        else:
            message = ('WebHDFS %s %s on %s was refused (HTTP %s, %s: %s). Extended attributes need %s=true '
                       '(the Hadoop default) and the WebHDFS user needs %s access to the file'
                       % (op, name, path, error.status, remote.get('exception', 'error'), reason,
                          XATTRS_ENABLED_KEY, 'write' if op == 'SETXATTR' else 'read'))
        super(XAttrRefused, self).__init__(message, status=error.status, body=error.body)


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
        """The FileChecksum dict (algorithm, bytes, length) the NameNode computes for a file."""
        data = self.client.get_json(self._path(path), self._query('GETFILECHECKSUM'))
        return data['FileChecksum']

    def get_xattr(self, path, name):
        """The value of the extended attribute name as text, or None when the file has none.

        GETXATTRS answers a missing attribute with HTTP 403 and an IOException
        ("At least one of the attributes provided was not found."); with
        encoding=text the value comes back in double quotes.
        """
        try:
            data = self.client.get_json(self._path(path),
                                        self._query('GETXATTRS', encoding='text', **{'xattr.name': name}))
        except HadoopHttpError as e:
            remote = remote_exception(e.body)
            if e.status in (400, 403) and XATTRS_ENABLED_KEY in (remote.get('message') or ''):
                raise XAttrRefused('GETXATTRS', path, name, e)
            if e.status in (403, 404) and remote and remote.get('exception') not in (
                    'AccessControlException', 'SecurityException'):
                return None
            raise
        for xattr in data.get('XAttrs') or []:
            if xattr.get('name') == name:
                value = xattr.get('value') or ''
                if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
                    value = value[1:-1]
                return value
        return None

    def set_xattr(self, path, name, value, flag='CREATE'):
        """Set the extended attribute name to the text value.

        flag is CREATE (fails when the attribute exists) or REPLACE (fails when
        it does not). The value is sent in double quotes, which WebHDFS reads
        as text. A refusal (HTTP 400/403) raises XAttrRefused.
        """
        try:
            self._put(path, 'SETXATTR', flag=flag, **{'xattr.name': name, 'xattr.value': '"%s"' % value})
        except HadoopHttpError as e:
            if e.status in (400, 403):
                raise XAttrRefused('SETXATTR', path, name, e)
            raise


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


def _plan(status, params):
    """The state the path should have, given its current FileStatus."""
    if params['state'] == 'absent':
        return {'state': 'absent'}
    if status is not None and status.get('type') != 'DIRECTORY':
        raise HadoopHttpError('%s exists in HDFS and is a file, not a directory; remove it first' % params['path'])
    after = describe(status) if status else {'state': 'directory', 'length': 0}
    for key in ('owner', 'group'):
        if params[key] is not None:
            after[key] = params[key]
    if params['mode'] is not None:
        after['mode'] = normalize_mode(params['mode'])
    return after


def ensure_path(fs, params, check_mode=False):
    """Make one HDFS path what params ask (path, state, recursive, owner,
    group, mode): (changed, path, before, after)."""
    path = params['path'].rstrip('/') or '/'
    status = fs.status(path)
    before = describe(status)
    after = _plan(status, params)
    changed = before != after
    if changed and not check_mode:
        if params['state'] == 'absent':
            fs.delete(path, recursive=params['recursive'])
        else:
            if status is None:
                fs.mkdirs(path, permission=normalize_mode(params['mode']))
                status = fs.status(path)
            apply_attributes(fs, path, attribute_changes(status, params['owner'], params['group'], params['mode']))
        after = describe(fs.status(path))
    return changed, path, before, after


def paths_option():
    """The argument spec of the `paths` option (doc fragment datafleet.hadoop.directories.hdfs)."""
    return dict(type='list', elements='dict',
                options=dict(path=dict(type='str', required=True), owner=dict(type='str'),
                             group=dict(type='str'), mode=dict(type='raw')))


def directory_items(paths, owner=None, group=None, mode=None):
    """The entries of a `paths` option as ensure_path's params: directories,
    each taking the owner, group and mode given here where it sets none.
    Raises ValueError for a mode that is not one."""
    defaults = dict(owner=owner, group=group, mode=mode)
    items = [dict(path=item['path'], state='directory', recursive=False,
                  **dict((key, defaults[key] if item[key] is None else item[key]) for key in defaults))
             for item in paths or []]
    for item in items:
        normalize_mode(item['mode'])
    return items


def path_results(results):
    """The `paths` return value and the diff of ensure_path's results."""
    return ([{'path': path, 'changed': changed, 'status': after} for changed, path, before, after in results],
            [{'before_header': path, 'after_header': path, 'before': before, 'after': after}
             for changed, path, before, after in results if changed])
