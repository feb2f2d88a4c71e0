# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""One daemon's systemd unit: its readiness (the unit and the daemon's own
endpoint read together, _readiness) and its state made what it should be -
enabled or not, started, restarted or stopped - so that one module call
converges a daemon and checks it works (daemon_service), or only checks it
(daemon_info)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

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


def readiness_argument_spec():
    """The options of a readiness check (daemon_info, daemon_service)."""
    spec = http_argument_spec()
    spec.update(
        name=dict(type='str', required=True, choices=list(DAEMONS)),
        unit=dict(type='str'),
        url=dict(type='str', required=True),
        node=dict(type='str'),
        timeout=dict(type='int', default=300),
        log_file=dict(type='path'),
    )
    return spec


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

    def check(self, wait):
        """The daemon's readiness; with wait, polled until it is ready, failing
        when it crashes or the timeout passes."""
        params = self.module.params
        started = time.time()
        deadline = started + params['timeout']
        show = self.show()
        first_pid = show.get('MainPID')
        while True:
            problem = unit_problem(show, first_pid)
            if problem:
                if wait:
                    self.fail(show, problem, started)
                return self.result(show, False, problem, started)
            if hasattr(self.client, 'refresh'):
                self.client.refresh()  # a failover since the last poll
            ready, detail = probe(self.name, self.client, params['node'])
            if ready or not wait:
                if ready and 'UNHEALTHY' in detail:
                    self.module.warn(detail)
                return self.result(show, ready, detail, started)
            if time.time() >= deadline:
                self.fail(show, 'not ready after %d s: %s' % (params['timeout'], detail), started)
            time.sleep(_POLL_SECONDS)
            show = self.show()

    def _systemctl(self, action):
        argv = [self.systemctl, action] + ([] if action == 'daemon-reload' else [self.unit + '.service'])
        rc, out, err = self.module.run_command(argv)
        if rc != 0:
            self.module.fail_json(msg='systemctl %s failed: %s' % (' '.join(argv[1:]), (err or out).strip()), rc=rc)

    def _enabled(self):
        rc, out, dummy = self.module.run_command([self.systemctl, 'is-enabled', self.unit + '.service'])
        # As ansible.builtin.systemd_service: a unit enabled only at run time,
        # indirectly or through an alias is enabled again.
        return rc == 0 and out.strip() not in ('enabled-runtime', 'indirect', 'alias')

    def converge(self, state, enabled, daemon_reload):
        """Make the unit enabled (or disabled) and started, restarted or
        stopped, as ansible.builtin.systemd_service does; the systemctl
        actions it took (or would take, in check mode)."""
        check_mode = self.module.check_mode
        if daemon_reload and not check_mode:
            self._systemctl('daemon-reload')
        show = self.show()
        if show.get('LoadState') == 'not-found':
            if check_mode and daemon_reload:
                # The unit file this run would install is not there yet.
                return (['enable'] if enabled else []) + ([] if state == 'stopped' else ['start'])
            self.module.fail_json(msg='systemd has no unit %s on this host: install its unit file first' % self.unit)
        actions = []
        if enabled is not None and self._enabled() != enabled:
            actions.append('enable' if enabled else 'disable')
        active = show.get('ActiveState')
        # activating/auto-restart: the daemon exited and systemd waits to start
        # it again (with the unit it had): not running, so it starts now.
        running = active == 'active' or (active == 'activating' and show.get('SubState') != 'auto-restart')
        if state == 'restarted':
            actions.append('restart' if running else 'start')
        elif state == 'started' and not running:
            actions.append('start')
        elif state == 'stopped' and active in ('active', 'activating', 'deactivating'):
            actions.append('stop')
        if not check_mode:
            for action in actions:
                self._systemctl(action)
        return actions


def daemon_state(unit_changed, restart_pending, retired, defer_restart, restart_requested):
    """The state a daemon's unit is to be put in, from what the run knows of
    it: a retired daemon stays stopped; a restart is due when its unit changed,
    a restart is pending on the host (recorded by an earlier run or this one)
    or was requested in this run; a due restart is deferred to the rolling
    restart of its role when defer_restart (the daemon keeps running, or
    simply starts when it is stopped). (state, due)."""
    due = bool(unit_changed or restart_pending or restart_requested)
    if retired:
        return 'stopped', due
    return ('restarted' if due and not defer_restart else 'started'), due


def marker_actions(unit_changed, restart_pending, retired, deferred):
    """What happens to the restart marker once the unit's state is made:
    'write' keeps a deferred restart of a changed unit for the rolling
    restart; 'remove' forgets a pending restart that was done (or that a
    start from stopped made moot); None leaves it."""
    if deferred and unit_changed:
        return 'write'
    if restart_pending and not retired and not deferred:
        return 'remove'
    return None
