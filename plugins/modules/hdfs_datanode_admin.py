#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hdfs_datanode_admin
short_description: Decommission, recommission or put DataNodes in maintenance, with guards and progress
version_added: 0.1.0
description:
  - Declares the admin state of DataNodes in the NameNode's JSON hosts file (C(dfs.hosts) read by
    C(CombinedHostFileManager)) on the host it runs on, refreshes the NameNode(s) with
    C(dfsadmin -refreshNodes) and, with O(wait), polls the NameNode's JMX until every host reached
    the state, returning per-node progress.
  - Run it on every NameNode host with the same arguments (the file is local); wait on one.
  - Run it as root (C(become=true)), which it needs to write the hosts file. With simple
    authentication the admin tool acts as the HDFS administrator through O(admin_user).
  - Before a host leaves service it checks, and fails without changing anything, when
    HDFS has missing or corrupt blocks; the in-service DataNodes left would be fewer than
    C(dfs.replication) or than the highest replication factor of any file (read from the
    NameNode's fsck servlet); the data on the leaving hosts does not fit in the space left; files
    open for write have blocks on the leaving hosts (unless O(wait_for_open_files)); a host is not
    part of the cluster.
  - A host counts as decommissioned only when the NameNode says C(Decommissioned) and no block of
    a file still open for write has its only replicas on the leaving hosts (a DataNode can reach
    C(Decommissioned) while such a block lives only there).
  - The state is re-read from the cluster on every run, so running it again after an interruption
    continues where the cluster is.
  - With O(report_interval), the wait is a flat loop of calls with a progress line after each, however
    long the drain takes.
author:
  - datafleet.hadoop maintainers (@datafleet)
options:
  hosts:
    description:
      - DataNode host names, as the NameNode lists them (C(hostName) in the hosts file).
    type: list
    elements: str
    default: []
  state:
    description:
      - Admin state wanted for O(hosts).
    type: str
    choices: [in_service, decommissioned, in_maintenance]
    default: in_service
  members:
    description:
      - Every DataNode of the cluster (the inventory's DataNode group). Members missing from the
        hosts file are added in service; hosts already listed keep their state, so a deployment run
        never undoes a decommission or a maintenance. Decommissioned entries of hosts that are no
        longer members are removed.
    type: list
    elements: str
  hosts_file:
    description:
      - The JSON hosts file the NameNode reads (C(dfs.hosts)).
    type: path
    default: /etc/hadoop/conf/dfs.hosts.json
  file_group:
    description:
      - Group of the hosts file when it is created.
    type: str
  refresh:
    description:
      - Run C(dfsadmin -refreshNodes) after the file changed, or when the NameNode's view differs
        from the file (an earlier run wrote it and was interrupted).
    type: bool
    default: true
  namenode_addresses:
    description:
      - RPC addresses (C(hdfs://host:8020)) of the NameNodes to refresh, each passed to dfsadmin as
        C(-fs). Empty refreshes the default file system, which with HA refreshes every NameNode
        of the nameservice.
    type: list
    elements: str
    default: []
  maintenance_minutes:
    description:
      - With O(state=in_maintenance), how long the maintenance lasts before the NameNode returns
        the hosts to service by itself. A host already in an unexpired maintenance keeps its
        expiry, so a re-run changes nothing. Omit it for a maintenance without expiry.
    type: int
  replication:
    description:
      - Replication factor the guard requires at least as many in-service DataNodes left for.
        Defaults to the NameNode's default replication (from fsck).
    type: int
  scan_path:
    description:
      - Directory whose files are listed with fsck to find the highest replication factor in use
        and the files open for write.
    type: str
    default: /
  scan_files:
    description:
      - Whether to list the files at all. On a namespace of hundreds of millions of files the
        listing takes a while; without it only O(replication) is checked, and open files are
        found through the NameNode's decommission counters.
    type: bool
    default: true
  wait_for_open_files:
    description:
      - Start even when files open for write have blocks on the leaving hosts, and wait for their
        writers to close them.
    type: bool
    default: false
  user:
    description:
      - User the fsck servlet runs as with simple authentication (needs read access to the whole
        O(scan_path)). Ignored by a Kerberized cluster, which takes the SPNEGO identity.
    type: str
    default: hdfs
  wait:
    description:
      - Wait until every host reached O(state).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait with O(wait).
    type: int
    default: 3600
  fail_on_timeout:
    description:
      - Fail when O(wait_timeout) passes. With V(false) the module returns with RV(complete=false)
        and the progress, so a playbook can print it and call again.
    type: bool
    default: true
  poll_interval:
    description:
      - Seconds between two reads of the NameNode while waiting.
    type: int
    default: 5
  report_interval:
    description:
      - With O(wait), print a line of where the hosts stand every so many seconds while waiting, and go
        on until O(wait_timeout). The wait is then a loop of module calls on the controller, each waiting
        at most this long, so a wait of hours stays one task. V(0) waits in one call, without reports.
    type: int
    default: 0
  admin_user:
    description:
      - User the admin tool acts as with simple authentication (E(HADOOP_USER_NAME)), so the module
        can run as root, which it needs to write the files, and still be the HDFS administrator.
        A Kerberized cluster ignores it and uses the ticket cache.
    type: str
    default: hdfs
extends_documentation_fragment:
  - datafleet.hadoop.endpoint
  - datafleet.hadoop.endpoint.namenode
  - datafleet.hadoop.admin_cli
  - datafleet.hadoop.attributes.actionable
notes:
  - Maintenance needs C(dfs.namenode.hosts.provider.classname) set to
    C(org.apache.hadoop.hdfs.server.blockmanagement.CombinedHostFileManager), as the
    datafleet.hadoop.hadoop role configures it.
seealso:
  - module: datafleet.hadoop.yarn_node_admin
  - module: datafleet.hadoop.hdfs_info
'''

EXAMPLES = r'''
# Runs as root (it writes the hosts file) and acts as the HDFS administrator through admin_user.
- name: Decommission two DataNodes and wait until their blocks are safe elsewhere
  datafleet.hadoop.hdfs_datanode_admin:
    hosts: [worker7.example.com, worker8.example.com]
    state: decommissioned
    namenode_url: http://nn1.example.com:9870
    wait_timeout: 14400
    admin_user: hdfs
  become: true

- name: Two hours of maintenance for a disk swap, without re-replication
  datafleet.hadoop.hdfs_datanode_admin:
    hosts: [worker7.example.com]
    state: in_maintenance
    maintenance_minutes: 120
  become: true

- name: Admit new DataNodes (those already listed keep their state)
  datafleet.hadoop.hdfs_datanode_admin:
    members: "{{ groups['datanodes'] }}"
    wait: false
  become: true
'''

RETURN = r'''
complete:
  description: Whether every host reached O(state).
  returned: always
  type: bool
changes:
  description: Hosts file entries changed, as host, before and after state (null when absent).
  returned: always
  type: list
  elements: dict
  sample: [{"host": "worker7.example.com", "before": "in_service", "after": "decommissioned"}]
refreshed:
  description: NameNodes refreshed (V(default) for the default file system).
  returned: always
  type: list
  elements: str
nodes:
  description: Per host, what the NameNode says.
  returned: always
  type: dict
  sample:
    worker7.example.com:
      admin_state: Decommission In Progress
      live: true
      known: true
      done: false
      blocks: 10
      used: 457991836
      under_replicated_blocks: 8
      only_replicas: 0
      under_replicated_in_open_files: 0
progress:
  description: Blocks the leaving hosts still wait for, the rate over this call, and the estimated time left.
  returned: always
  type: dict
  sample: {"blocks_remaining": 8, "blocks_per_second": 0.5, "eta_seconds": 16, "waited": 20.1}
blockers:
  description: Why the hosts that are not done are not done (when not complete).
  returned: always
  type: list
  elements: str
admin_states:
  description: The state the hosts file asks for, per listed host, after the run.
  returned: always
  type: dict
  sample: {"worker1.example.com": "in_service", "worker7.example.com": "decommissioned"}
highest_replication:
  description: The highest replication factor found by the file listing, and one file that has it.
  returned: when the file listing ran
  type: dict
  sample: {"replication": 3, "path": "/data/important.csv"}
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.datafleet.hadoop.plugins.module_utils._cli import HadoopCli, cli_argument_spec
from ansible_collections.datafleet.hadoop.plugins.module_utils._datanode_admin import (
    blockers, blocks_remaining, guard_problems, node_progress, nodes_by_host)
from ansible_collections.datafleet.hadoop.plugins.module_utils._fsck import (
    Fsck, highest_replication, open_blocks_on)
from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import read_namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._hosts_files import (
    HostsFileError, hdfs_entry_state, parse_hdfs_hosts, plan_hdfs_hosts, render_hdfs_hosts)
from ansible_collections.datafleet.hadoop.plugins.module_utils._http import (
    HadoopHttpError, http_argument_spec, namenode_client)
from ansible_collections.datafleet.hadoop.plugins.module_utils._localfile import read_text, write_text


def sorted_entries(entries):
    return sorted(entries, key=lambda e: e['hostName'])


class DataNodeAdmin(object):

    def __init__(self, module, client, clock=None, sleep=None):
        self.module = module
        self.params = module.params
        self.client = client
        self.fsck = Fsck(client, self.params['user'])
        self.clock = clock or time.time
        self.sleep = sleep or time.sleep

    def facts(self):
        return read_namenode_facts(self.client)

    def addresses(self, facts, hosts):
        nodes = nodes_by_host(facts)
        return [nodes[h]['transfer_address'] for h in hosts if h in nodes and nodes[h].get('transfer_address')]

    def stranded_open_blocks(self, facts, leaving):
        """Blocks of open files whose replicas are all on leaving hosts."""
        if not self.params['scan_files'] or not leaving:
            return []
        listing = self.fsck.report(self.params['scan_path'])
        found = open_blocks_on(self.fsck.open_files_with_blocks(listing), self.addresses(facts, leaving))
        return [b for b in found if not b['elsewhere']]

    def check(self, facts, leaving, state):
        """Guards before hosts leave service; returns the listing facts."""
        params = self.params
        replication, highest, open_blocks = params['replication'], (0, None), []
        if params['scan_files']:
            listing = self.fsck.report(params['scan_path'])
            highest = highest_replication(listing)
            if replication is None:
                replication = listing['summary'].get('default_replication')
            if state == 'decommissioned' and not params['wait_for_open_files']:
                open_blocks = open_blocks_on(self.fsck.open_files_with_blocks(listing), self.addresses(facts, leaving))
        problems = guard_problems(facts, leaving, state, replication or 0, highest, open_blocks)
        if problems:
            self.module.fail_json(msg='Refusing to change the admin state of %s: %s'
                                  % (', '.join(sorted(leaving)), ' '.join(problems)), problems=problems)
        return {'replication': highest[0], 'path': highest[1]}

    def wait(self, hosts, state):
        params = self.params
        start = self.clock()
        first = None
        while True:
            facts = self.facts()
            progress = node_progress(facts, hosts, state)
            remaining = blocks_remaining(progress)
            if first is None:
                first = (start, remaining)
            complete = all(entry['done'] for entry in progress.values())
            stranded = []
            if complete and state == 'decommissioned':
                stranded = self.stranded_open_blocks(facts, hosts)
                complete = not stranded
            elapsed = self.clock() - start
            rate = (first[1] - remaining) / elapsed if elapsed > 0 and first[1] > remaining else 0.0
            summary = {'blocks_remaining': remaining, 'blocks_per_second': round(rate, 2),
                       'eta_seconds': int(remaining / rate) if rate else None, 'waited': round(elapsed, 1)}
            if complete or not params['wait'] or elapsed >= params['wait_timeout']:
                return complete, progress, summary, ([] if complete else blockers(progress, facts, stranded, state))
            self.sleep(params['poll_interval'])


def main():
    argument_spec = http_argument_spec(namenode=True)
    argument_spec.update(cli_argument_spec())
    argument_spec.update(
        hosts=dict(type='list', elements='str', default=[]),
        state=dict(type='str', default='in_service', choices=['in_service', 'decommissioned', 'in_maintenance']),
        members=dict(type='list', elements='str'),
        hosts_file=dict(type='path', default='/etc/hadoop/conf/dfs.hosts.json'),
        file_group=dict(type='str'),
        refresh=dict(type='bool', default=True),
        namenode_addresses=dict(type='list', elements='str', default=[]),
        maintenance_minutes=dict(type='int'),
        replication=dict(type='int'),
        scan_path=dict(type='str', default='/'),
        scan_files=dict(type='bool', default=True),
        wait_for_open_files=dict(type='bool', default=False),
        user=dict(type='str', default='hdfs'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=3600),
        fail_on_timeout=dict(type='bool', default=True),
        poll_interval=dict(type='int', default=5),
        # Used by the action plugin, which splits the wait.
        report_interval=dict(type='int', default=0),
        admin_user=dict(type='str', default='hdfs'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    hosts, state = sorted(set(params['hosts'])), params['state']
    admin = DataNodeAdmin(module, namenode_client(params))
    try:
        before_text = read_text(params['hosts_file'])
        entries = parse_hdfs_hosts(before_text)
    except HostsFileError as e:
        module.fail_json(msg='%s: %s' % (params['hosts_file'], e))
    except (IOError, OSError) as e:
        module.fail_json(msg='cannot read %s: %s' % (params['hosts_file'], e))
    now_ms = int(time.time() * 1000)
    expiry = now_ms + params['maintenance_minutes'] * 60000 if params['maintenance_minutes'] else None
    new_entries, changes = plan_hdfs_hosts(entries, hosts, state, params['members'], expiry, now_ms)
    # Compared as entries, not text: a file written by hand in another layout
    # but asking for the same states is left alone.
    file_differs = before_text is None or sorted_entries(new_entries) != sorted_entries(entries)
    result = dict(changed=False, changes=changes, refreshed=[], nodes={}, complete=True, blockers=[],
                  admin_states=dict((e['hostName'], hdfs_entry_state(e)) for e in new_entries),
                  progress={'blocks_remaining': 0, 'blocks_per_second': 0.0, 'eta_seconds': None, 'waited': 0.0})
    try:
        try:
            facts = admin.facts()
        except HadoopHttpError:
            if hosts:
                raise
            # Only admitting members: a NameNode that is not running reads the
            # file when it starts.
            facts = None
        if facts is None:
            text = render_hdfs_hosts(new_entries)
            result['changed'] = file_differs
            if result['changed'] and not module.check_mode:
                write_text(module, params['hosts_file'], text, group=params['file_group'])
            if result['changed'] and module._diff:
                result['diff'] = {'before': before_text or '', 'after': text}
            result['admin_states'] = dict((e['hostName'], hdfs_entry_state(e)) for e in new_entries)
            module.exit_json(**result)
        known = set(nodes_by_host(facts)) | set(e['hostName'] for e in entries) | set(params['members'] or [])
        unknown = [h for h in hosts if h not in known]
        if unknown:
            verb = 'is' if len(unknown) == 1 else 'are'
            module.fail_json(msg='%s %s not part of this HDFS cluster: not in %s and never seen by the NameNode. '
                                 'Check the host names (they must match the DataNodes\' names), or add the hosts '
                                 'with scale_out.yml first.' % (', '.join(unknown), verb, params['hosts_file']))
        old_states = dict((e['hostName'], hdfs_entry_state(e)) for e in entries)
        leaving = [h for h in hosts if state != 'in_service' and old_states.get(h) != state]
        if leaving:
            result['highest_replication'] = admin.check(facts, leaving, state)
        progress = node_progress(facts, hosts, state)
        # An earlier run may have written the file and stopped before the refresh.
        stale = [h for h, p in progress.items() if p['live'] and not p['done']
                 and p['admin_state'] == 'In Service' and state != 'in_service']
        stale += [h for h, p in progress.items() if p['live'] and state == 'in_service' and not p['done']]
        text = render_hdfs_hosts(new_entries)
        if file_differs:
            result['changed'] = True
            if module._diff:
                result['diff'] = {'before': before_text or '', 'after': text,
                                  'before_header': params['hosts_file'], 'after_header': params['hosts_file']}
            if not module.check_mode:
                write_text(module, params['hosts_file'], text, group=params['file_group'])
        if params['refresh'] and (result['changed'] or stale):
            result['changed'] = True
            targets = params['namenode_addresses'] or [None]
            if not module.check_mode:
                cli = HadoopCli(module, params['admin_user'])
                for address in targets:
                    cli.run('dfsadmin', (['-fs', address] if address else []) + ['-refreshNodes'])
            result['refreshed'] = [a or 'default' for a in targets]
        if module.check_mode:
            result['nodes'] = progress
            result['complete'] = all(p['done'] for p in progress.values())
            module.exit_json(**result)
        complete, progress, summary, why = admin.wait(hosts, state)
    except HadoopHttpError as e:
        module.fail_json(msg=str(e), **result)
    result.update(complete=complete, nodes=progress, progress=summary, blockers=why)
    if not complete and params['wait'] and params['fail_on_timeout']:
        module.fail_json(msg='%s not %s after %ss: %s' % (
            ', '.join(hosts), state.replace('_', ' '), params['wait_timeout'], '; '.join(why)), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
