#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: daemon_info
short_description: Whether a Hadoop, Spark or ZooKeeper daemon is up, from its systemd unit and its own endpoint
version_added: 0.1.0
description:
  - Reads the daemon's systemd unit and asks the daemon itself whether it works, the way its clients would
    see it. A daemon is ready when its endpoint answers as a working daemon does. For the NameNode, JMX answers
    with a HA state. For a DataNode, a block pool service is connected to a NameNode. For a ResourceManager,
    the REST API reports C(STARTED). For a NodeManager, the ResourceManager lists it as C(RUNNING),
    C(DECOMMISSIONING) or C(UNHEALTHY) (with a warning). For the history servers, their REST API answers. For a
    ZooKeeper server, the four-letter word C(srvr) reports it in a serving mode (C(leader), C(follower),
    C(observer), or C(standalone) for an ensemble of one); a server that has not joined a quorum is not ready.
  - With O(wait=true) the module polls until the daemon is ready, and fails at once when it crashes, that
    is, when the unit fails, waits for systemd to start it again (C(Restart=on-failure)), or runs another
    process than the one first seen. It also fails when O(timeout) passes. The message then ends with the
    unit's last journal lines and the last lines of O(log_file), so the cause shows in the play's output.
author:
  - datafleet.hadoop maintainers (@datafleet)
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
  wait:
    description:
      - Wait until the daemon is ready, and fail when it crashes or O(timeout) passes.
      - Without it, the module reports the state once and does not fail when the daemon is down.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 300
  log_file:
    description:
      - The daemon's own log file, whose last lines are shown when it does not come up.
    type: path
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.attributes.info
'''

EXAMPLES = r'''
- name: Wait until the DataNode works, or show why it does not
  datafleet.hadoop.daemon_info:
    name: datanode
    url: http://dn1.example.com:9864
    wait: true
    log_file: /var/log/hadoop/hdfs/hdfs-datanode.log

- name: Is the NodeManager of this host RUNNING at the ResourceManager?
  datafleet.hadoop.daemon_info:
    name: nodemanager
    url: http://rm1.example.com:8088
    node: "{{ inventory_hostname }}:45454"
  register: nodemanager
'''

RETURN = r'''
unit:
  description: The systemd unit.
  returned: always
  type: str
  sample: hadoop-hdfs-datanode
active_state:
  description: The unit's ActiveState and SubState at the last look.
  returned: always
  type: str
  sample: active/running
pid:
  description: The daemon's main process, 0 when none runs.
  returned: always
  type: int
ready:
  description: Whether the daemon answered as a working daemon does.
  returned: always
  type: bool
detail:
  description: What the readiness check saw, or why the daemon is not ready.
  returned: always
  type: str
  sample: the DataNode is connected to nn1.example.com:8020
waited:
  description: Seconds spent waiting.
  returned: always
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._daemons import DAEMONS
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HttpClient, http_argument_spec, resourcemanager_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._readiness import TcpPort, parse_show, probe, unit_problem
from ansible_collections.datafleet.hadoop.plugins.module_utils._zookeeper import FourLetterClient

_SHOW = ('LoadState', 'ActiveState', 'SubState', 'MainPID', 'Result')
# A daemon that is starting answers within a few seconds: poll often, so that a
# rolling restart waits for the daemon, not for the poll.
_POLL_SECONDS = 0.5
_LOG_LINES = 15


class Daemon(object):
    def __init__(self, module):
        self.module = module
        params = module.params
        self.name = params['name']
        self.unit = params['unit'] or DAEMONS[self.name].unit
        if self.name in ('zookeeper', 'zkfc'):
            try:
                self.client = (FourLetterClient if self.name == 'zookeeper' else TcpPort).from_url(params['url'])
            except ValueError as e:
                module.fail_json(msg=str(e))
        elif self.name == 'nodemanager':
            # Asked at the ResourceManager(s): the active one with HA.
            self.client = resourcemanager_client(params, 'url')
        else:
            self.client = HttpClient.from_params(params['url'], params)
        self.systemctl = module.get_bin_path('systemctl', required=True)

    def show(self):
        argv = [self.systemctl, 'show', self.unit + '.service', '--no-pager']
        for prop in _SHOW:
            argv += ['-p', prop]
        rc, out, err = self.module.run_command(argv)
        if rc != 0:
            self.module.fail_json(msg='systemctl show %s failed: %s' % (self.unit, err or out), rc=rc)
        return parse_show(out)

    def logs(self):
        """The unit's last journal lines and the daemon log's last lines."""
        parts = []
        journalctl = self.module.get_bin_path('journalctl')
        if journalctl:
            rc, out, dummy = self.module.run_command(
                [journalctl, '-u', self.unit + '.service', '-n', str(_LOG_LINES), '--no-pager', '-o', 'cat'])
            if rc == 0 and out.strip():
                parts.append('Last lines of journalctl -u %s:\n%s' % (self.unit, out.rstrip()))
        log_file = self.module.params['log_file']
        if log_file:
            try:
                with open(log_file, 'rb') as handle:
                    handle.seek(0, 2)
                    handle.seek(max(0, handle.tell() - 65536))
                    text = handle.read().decode('utf-8', 'replace')
                parts.append('Last lines of %s:\n%s' % (log_file, '\n'.join(text.splitlines()[-_LOG_LINES:])))
            except (IOError, OSError):
                pass
        return '\n'.join(parts)

    def result(self, show, ready, detail, started):
        return dict(unit=self.unit, active_state='%s/%s' % (show.get('ActiveState'), show.get('SubState')),
                    pid=int(show.get('MainPID') or 0), ready=ready, detail=detail,
                    waited=round(time.time() - started, 1))

    def fail(self, show, detail, started):
        result = self.result(show, False, detail, started)
        logs = self.logs()
        msg = '%s (%s) is not up: %s.' % (self.name, self.unit, detail)
        if logs:
            msg += '\n' + logs
        self.module.fail_json(msg=msg, **result)

    def check(self):
        params = self.module.params
        started = time.time()
        deadline = started + params['timeout']
        show = self.show()
        first_pid = show.get('MainPID')
        while True:
            problem = unit_problem(show, first_pid)
            if problem:
                if params['wait']:
                    self.fail(show, problem, started)
                return self.result(show, False, problem, started)
            if hasattr(self.client, 'refresh'):
                self.client.refresh()  # a failover since the last poll
            ready, detail = probe(self.name, self.client, params['node'])
            if ready or not params['wait']:
                if ready and 'UNHEALTHY' in detail:
                    self.module.warn(detail)
                return self.result(show, ready, detail, started)
            if time.time() >= deadline:
                self.fail(show, 'not ready after %d s: %s' % (params['timeout'], detail), started)
            time.sleep(_POLL_SECONDS)
            show = self.show()


def main():
    argument_spec = http_argument_spec()
    argument_spec.update(
        name=dict(type='str', required=True, choices=list(DAEMONS)),
        unit=dict(type='str'),
        url=dict(type='str', required=True),
        node=dict(type='str'),
        wait=dict(type='bool', default=False),
        timeout=dict(type='int', default=300),
        log_file=dict(type='path'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           required_if=[('name', 'nodemanager', ('node',))])
    module.exit_json(changed=False, **Daemon(module).check())


if __name__ == '__main__':
    main()
