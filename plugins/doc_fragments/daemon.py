# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # One of the collection's daemons and where its readiness check asks
    # (daemon_info, daemon_service).
    DOCUMENTATION = r'''
options:
  name:
    description:
      - The daemon, as the collection names it. It chooses the readiness check and, unless O(unit) is given,
        the systemd unit.
    type: str
    required: true
    choices: [namenode, datanode, journalnode, zkfc, resourcemanager, nodemanager, historyserver, spark_history, zookeeper]
  unit:
    description:
      - The systemd unit, when it is not the collection's name for O(name) (for example C(hadoop-hdfs-datanode)).
    type: str
  url:
    description:
      - Base URL of the daemon's web server, for example C(http://dn1.example.com:9864).
      - For O(name=nodemanager), the ResourceManager's base URL; with high availability the URLs of every
        ResourceManager, separated by commas (the active one is asked).
      - For O(name=zookeeper), the server's client port as C(tcp://host:port), for example
        C(tcp://zk1.example.com:2181); the server must have C(srvr) on its C(4lw.commands.whitelist).
    type: str
    required: true
  node:
    description:
      - For O(name=nodemanager), the node id the ResourceManager knows it by (C(host:port), the port of
        C(yarn.nodemanager.address)), or only the host name when the port is not fixed.
    type: str
  log_file:
    description:
      - The daemon's own log file, whose last lines are shown when it does not come up.
    type: path
'''
