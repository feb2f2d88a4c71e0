#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_copy
short_description: Copy a file from the managed node into HDFS over WebHDFS
version_added: 0.1.0
description:
  - Uploads O(src) (a file on the managed node) to the HDFS path O(dest) unless O(dest) already
    holds the same content, then sets owner, group and permissions.
  - After each upload the module records, in the extended attribute C(user.datafleet.source) of
    O(dest), the SHA-256 of O(src) and the HDFS file checksum (C(GETFILECHECKSUM)) the NameNode
    reports for the new file, and the size and modification time (in nanoseconds) of O(src), as
    compact JSON such as
    C({"sha256":"9f86d0...","hdfs":"MD5-of-0MD5-of-512CRC32C:0000020000...","source":"480101376:1764921600123456789"}).
  - O(dest) is up to date only when it exists, its length equals the length of O(src), the
    attribute is present and names the SHA-256 of O(src), and the HDFS file checksum still equals
    the recorded one (so a file rewritten in HDFS by another client is uploaded again). The HDFS
    checksum is only asked for when the cheaper checks pass. O(src) is read to compute its SHA-256
    unless its size and modification time are those recorded (the quick check of rsync), and then the
    recorded SHA-256 stands for it, so a re-run does not read a large unchanged file again. In any
    other case O(dest) is overwritten and the attribute recorded again.
  - The directories of O(paths), if any, are made what they should be first, as
    M(datafleet.hadoop.hdfs_path) does with its C(paths) option (each takes O(owner) and O(group) where it sets
    none; O(mode) is the file's, so each directory sets its own).
  - A file without the attribute, uploaded by an older version of this module or by another tool,
    is therefore uploaded once more, even when its content is the same.
  - The attribute needs extended attributes on the NameNode (C(dfs.namenode.xattrs.enabled), true
    by default in Hadoop); when they are disabled the module fails and names the setting.
    The WebHDFS user needs read access to O(dest) to read the attribute.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  src:
    description:
      - Local file on the managed node.
    type: path
    required: true
  dest:
    description:
      - Absolute HDFS path of the file. Missing parent directories are created.
    type: str
    required: true
extends_documentation_fragment:
  - datafleet.hadoop.directories.hdfs
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.endpoint.webhdfs
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Publish Spark's jars for spark.yarn.archive
  datafleet.hadoop.hdfs_copy:
    src: /opt/spark/spark-4.3.0-bin-hadoop3/spark-jars.zip
    dest: /apps/spark/4.3.0/spark-jars.zip
    mode: "0644"
    namenode_url: http://nn1.example.com:9870
'''

RETURN = r'''
dest:
  description: The HDFS path.
  returned: success
  type: str
status:
  description: The HDFS file after the run.
  returned: success
  type: dict
  sample: {"state": "file", "owner": "hdfs", "group": "supergroup", "mode": "644", "length": 1024}
paths:
  description: Each directory of O(paths), whether it changed and its status after the run.
  returned: success
  type: list
  elements: dict
  sample: [{"path": "/apps/spark/4.3.0", "changed": false, "status": {"state": "directory", "mode": "755"}}]
uploaded_bytes:
  description: Bytes sent to HDFS by this run.
  returned: success
  type: int
sha256:
  description:
    - SHA-256 of O(src), as recorded in the extended attribute C(user.datafleet.source) of O(dest).
  returned: success
  type: str
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._webhdfs import (
    WebHdfs, XAttrRefused, apply_attributes, attribute_changes, describe, directory_items, ensure_path, normalize_mode,
    path_results, paths_option)

# Where the module records what it uploaded: {"sha256": ..., "hdfs": "<algorithm>:<bytes>",
# "source": "<size>:<mtime in ns>"} (source is missing in records of older versions).
XATTR = 'user.datafleet.source'


def hdfs_checksum(file_checksum):
    """'<algorithm>:<bytes>' of a WebHDFS FileChecksum."""
    return '%s:%s' % (file_checksum.get('algorithm'), file_checksum.get('bytes'))


def read_record(value):
    """The dict an earlier run recorded in XATTR, or None when absent or unreadable."""
    try:
        record = json.loads(value) if value else None
    except ValueError:
        return None
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in ('sha256', 'hdfs')):
        return None
    return record


def source_stamp(path):
    """'<size>:<modification time in ns>' of a local file, for the quick check."""
    stat = os.stat(path)
    return '%d:%d' % (stat.st_size, stat.st_mtime_ns)


def up_to_date(fs, dest, status, size, sha256, record):
    """Cheap checks first; GETFILECHECKSUM only when they all pass."""
    if status is None or status.get('length') != size or record is None or record['sha256'] != sha256:
        return False
    return hdfs_checksum(fs.checksum(dest)) == record['hdfs']


def main():
    argument_spec = http_argument_spec(namenode=True, webhdfs=True)
    argument_spec.update(
        src=dict(type='path', required=True),
        dest=dict(type='str', required=True),
        paths=paths_option(),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        mode = normalize_mode(params['mode'])
        directories = directory_items(params['paths'], params['owner'], params['group'])
    except ValueError as e:
        module.fail_json(msg=str(e))
    src, dest = params['src'], params['dest']
    if not os.path.isfile(src):
        module.fail_json(msg='src %s is not a file on %s' % (src, 'the managed node'))
    size = os.path.getsize(src)
    stamp = source_stamp(src)
    sha256 = None
    fs = WebHdfs(namenode_client(params), user=params['user'])
    try:
        made = [ensure_path(fs, item, module.check_mode) for item in directories]
        status = fs.status(dest)
        if status is not None and status.get('type') != 'FILE':
            module.fail_json(msg='%s exists in HDFS and is a directory; choose a file path' % dest)
        record = read_record(fs.get_xattr(dest, XATTR)) if status is not None else None
        sha256 = record['sha256'] if record and record.get('source') == stamp else module.sha256(src)
        before = describe(status)
        if status is not None:
            before['sha256'] = record['sha256'] if record else None
        upload = not up_to_date(fs, dest, status, size, sha256, record)
        changes = attribute_changes(status or {}, params['owner'], params['group'], mode)
        after = describe(status)
        after.update(state='file', length=size)
        after.update(changes)
        changed = upload or bool(changes) or any(result[0] for result in made)
        uploaded = 0
        if (upload or changes) and not module.check_mode:
            if upload:
                # The owner must be able to write the attribute (HDFS asks for write
                # access even from the owner); the requested mode follows below.
                create_mode = None if mode is None else '%o' % (int(mode, 8) | 0o200)
                with open(src, 'rb') as handle:
                    fs.create(dest, handle, overwrite=True, permission=create_mode, length=size)
                uploaded = size
                # The overwrite made a new inode, without the attribute.
                fs.set_xattr(dest, XATTR, json.dumps(
                    {'sha256': sha256, 'hdfs': hdfs_checksum(fs.checksum(dest)), 'source': stamp},
                    separators=(',', ':')),
                    flag='CREATE')
                status = fs.status(dest)
            apply_attributes(fs, dest, attribute_changes(status, params['owner'], params['group'], mode))
            after = describe(fs.status(dest))
    except XAttrRefused as e:
        module.fail_json(msg='%s. hdfs_copy records the sha256 of what it uploads in the extended attribute %s '
                             'of %s to tell whether the file is up to date' % (e, XATTR, dest))
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    paths, diffs = path_results(made)
    diff = {'before': before, 'after': dict(after, sha256=sha256)}
    if made:
        diff = diffs + [dict(diff, before_header=dest, after_header=dest)]
    module.exit_json(changed=changed, dest=dest, status=after, sha256=sha256, uploaded_bytes=uploaded, paths=paths,
                     diff=diff)


if __name__ == '__main__':
    main()
