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
  - Uploads O(src) (a file on the managed node) to the HDFS path O(dest) when O(dest) is absent or
    its length differs from O(src) (an interrupted upload leaves a shorter file), then sets owner,
    group and permissions. An existing file of the same length is left alone, so put a version in
    O(dest) for content that changes between releases.
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
uploaded_bytes:
  description: Bytes sent to HDFS by this run.
  returned: success
  type: int
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, HttpClient, http_argument_spec)
from ansible_collections.datafleet.hadoop.plugins.module_utils._webhdfs import (
    WebHdfs, apply_attributes, attribute_changes, describe, normalize_mode)


def main():
    argument_spec = http_argument_spec(namenode=True, webhdfs=True)
    argument_spec.update(
        src=dict(type='path', required=True),
        dest=dict(type='str', required=True),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        normalize_mode(params['mode'])
    except ValueError as e:
        module.fail_json(msg=str(e))
    src, dest = params['src'], params['dest']
    if not os.path.isfile(src):
        module.fail_json(msg='src %s is not a file on %s' % (src, 'the managed node'))
    size = os.path.getsize(src)
    fs = WebHdfs(HttpClient.from_params(params['namenode_url'], params), user=params['user'])
    try:
        status = fs.status(dest)
        if status is not None and status.get('type') != 'FILE':
            module.fail_json(msg='%s exists in HDFS and is a directory; choose a file path' % dest)
        before = describe(status)
        upload = status is None or status.get('length') != size
        changes = attribute_changes(status or {}, params['owner'], params['group'], params['mode'])
        after = dict(before, state='file', length=size)
        after.update(changes)
        changed = upload or bool(changes)
        uploaded = 0
        if changed and not module.check_mode:
            if upload:
                with open(src, 'rb') as handle:
                    fs.create(dest, handle, overwrite=True, permission=normalize_mode(params['mode']), length=size)
                uploaded = size
                status = fs.status(dest)
            apply_attributes(fs, dest, attribute_changes(status, params['owner'], params['group'], params['mode']))
            after = describe(fs.status(dest))
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=changed, dest=dest, status=after, uploaded_bytes=uploaded,
                     diff={'before': before, 'after': after})


if __name__ == '__main__':
    main()
