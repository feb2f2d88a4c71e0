# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Options of modules that run Hadoop admin tools.
    DOCUMENTATION = r'''
options:
  hadoop_home:
    description:
      - Hadoop installation directory (the official layout, with C(share/hadoop)).
    type: path
    default: /opt/hadoop/current
  conf_dir:
    description:
      - Hadoop configuration directory.
    type: path
    default: /etc/hadoop/conf
  java_home:
    description:
      - Java installation to run the admin tool with. Defaults to the C(java) found on E(PATH).
    type: path
'''
