#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: config_advice
short_description: Compare the configuration advisor's values with those in effect on a host
version_added: 0.1.0
description:
  - Reads the Hadoop and Spark configuration files and the daemons' systemd units on the host and compares every
    value the configuration advisor recommends for it (docs/sizing.md) with the value in effect there.
  - Changes nothing. Files that are not on the host (such as C(spark-defaults.conf) on a worker) and daemons without
    a unit are left out.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  recommendation:
    description:
      - The host's recommendation, as the C(datafleet.hadoop.sizing) filter returns it for one host
        (C(settings), C(heap_mb), C(reasons)).
    type: dict
    required: true
  conf_dir:
    description:
      - Hadoop configuration directory.
    type: path
    default: /etc/hadoop/conf
  spark_conf_dir:
    description:
      - Spark configuration directory.
    type: path
    default: /etc/spark/conf
  unit_dir:
    description:
      - Directory of the daemons' systemd units, whose C(-Xmx) gives the heap in effect.
    type: path
    default: /etc/systemd/system
extends_documentation_fragment:
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Compare with what is in effect
  datafleet.hadoop.config_advice:
    recommendation: "{{ hostvars['localhost']['__hadoop_sizing_plan']['hosts'][inventory_hostname] }}"
  register: advice

- name: Show the settings that differ
  ansible.builtin.debug:
    msg: "{{ advice.differences | map(attribute='name') | list }}"
'''

RETURN = r'''
settings:
  description: Every recommended setting in a file on the host.
  returned: success
  type: list
  elements: dict
  contains:
    file:
      description: The file (C(yarn-site.xml), C(spark-defaults.conf), ...).
      type: str
    name:
      description: The property.
      type: str
    recommended:
      description: The advisor's value, as text.
      type: str
    in_effect:
      description: The value in the file, null when the file does not set it.
      type: str
    differs:
      description: Whether the two differ.
      type: bool
    reason:
      description: How the advisor came to its value.
      type: str
heaps:
  description: Every recommended daemon heap (MiB) with a unit on the host; C(file) is the unit, C(name) the variable.
  returned: success
  type: list
  elements: dict
differences:
  description: The entries of RV(settings) and RV(heaps) whose values differ.
  returned: success
  type: list
  elements: dict
missing_files:
  description: Configuration files the advisor has values for but the host does not have.
  returned: success
  type: list
  elements: str
'''

import os
import re

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._config import (
    ConfigValueError, parse_hadoop_xml, parse_properties)
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import read_text
from ansible_collections.datafleet.hadoop.plugins.module_utils._sizing import FILES, HEAP_UNITS, compare

_XMX = re.compile(r'-Xmx(\d+)m\b')


def main():
    module = AnsibleModule(argument_spec=dict(
        recommendation=dict(type='dict', required=True),
        conf_dir=dict(type='path', default='/etc/hadoop/conf'),
        spark_conf_dir=dict(type='path', default='/etc/spark/conf'),
        unit_dir=dict(type='path', default='/etc/systemd/system'),
    ), supports_check_mode=True)
    p = module.params
    files, missing = {}, []
    for section, name in FILES:
        if not (p['recommendation'].get('settings') or {}).get(section):
            continue
        path = os.path.join(p['spark_conf_dir'] if section == 'spark_defaults' else p['conf_dir'], name)
        text = read_text(path)
        if text is None:
            missing.append(path)
            continue
        try:
            files[section] = parse_properties(text) if name.endswith('.conf') else parse_hadoop_xml(text)
        except ConfigValueError as e:
            module.fail_json(msg='%s: %s' % (path, e))
    heaps = {}
    for variable, unit in HEAP_UNITS:
        text = read_text(os.path.join(p['unit_dir'], unit + '.service'))
        found = _XMX.findall(text or '')
        if found:
            heaps[variable] = int(found[-1])
    result = compare(p['recommendation'], files, heaps)
    module.exit_json(changed=False, missing_files=missing, **result)


if __name__ == '__main__':
    main()
