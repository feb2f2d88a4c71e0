#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_path
short_description: Manage directories in HDFS over WebHDFS
version_added: 0.1.0
description:
  - Creates or removes an HDFS directory and sets its owner, group and permissions, through
    the NameNode's WebHDFS API. Only what differs is changed.
  - With O(paths), several directories are made what they should be in one call.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  path:
    description:
      - Absolute HDFS path.
      - Exactly one of O(path) and O(paths) is required.
    type: str
  state:
    description:
      - V(directory) creates the directory (and missing parents); V(absent) removes the path.
    type: str
    choices: [directory, absent]
    default: directory
  recursive:
    description:
      - With O(state=absent), remove a non-empty directory and everything below it.
    type: bool
    default: false
extends_documentation_fragment:
  - datafleet.hadoop.directories.hdfs
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.endpoint.webhdfs
  - datafleet.hadoop.attributes.actionable
'''

EXAMPLES = r'''
- name: Spark event log directory, sticky and world-writable
  datafleet.hadoop.hdfs_path:
    path: /spark-history
    owner: spark
    group: hadoop
    mode: "1777"
    namenode_url: http://nn1.example.com:9870

- name: The MapReduce history directories, in one call
  datafleet.hadoop.hdfs_path:
    paths:
      - {path: /mr-history/tmp, mode: "1777"}
      - {path: /mr-history/done, mode: "0770"}
    owner: mapred
    group: hadoop
    namenode_url: http://nn1.example.com:9870
'''

RETURN = r'''
path:
  description: The HDFS path.
  returned: success
  type: str
  sample: /spark-history
status:
  description: The path after the run.
  returned: success
  type: dict
  sample: {"state": "directory", "owner": "spark", "group": "hadoop", "mode": "1777", "length": 0}
paths:
  description: With O(paths), each path and its status after the run, in the order given.
  returned: when O(paths) is given
  type: list
  elements: dict
  sample: [{"path": "/mr-history/tmp", "changed": false,
            "status": {"state": "directory", "owner": "mapred", "group": "hadoop", "mode": "1777", "length": 0}}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._webhdfs import (
    WebHdfs, directory_items, ensure_path, normalize_mode, path_results, paths_option)


def main():
    argument_spec = http_argument_spec(namenode=True, webhdfs=True)
    argument_spec.update(
        path=dict(type='str'),
        paths=paths_option(),
        state=dict(type='str', choices=['directory', 'absent'], default='directory'),
        recursive=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_one_of=[('path', 'paths')], mutually_exclusive=[('path', 'paths')])
    params = module.params
    if params['paths'] is not None and params['state'] != 'directory':
        module.fail_json(msg='paths creates or corrects directories: use path with state=absent to remove one')
    try:
        if params['paths'] is None:
            each = [params]
            normalize_mode(params['mode'])
        else:
            each = directory_items(params['paths'], params['owner'], params['group'], params['mode'])
    except ValueError as e:
        module.fail_json(msg=str(e))
    fs = WebHdfs(namenode_client(params), user=params['user'])
    results = []
    try:
        for item in each:
            results.append(ensure_path(fs, item, module.check_mode))
    except HadoopHttpError as e:
        module.fail_json(msg=str(e))
    changed = any(result[0] for result in results)
    if params['paths'] is None:
        changed, path, before, after = results[0]
        module.exit_json(changed=changed, path=path, status=after, diff={'before': before, 'after': after})
    paths, diffs = path_results(results)
    module.exit_json(changed=changed, paths=paths, diff=diffs)


if __name__ == '__main__':
    main()
