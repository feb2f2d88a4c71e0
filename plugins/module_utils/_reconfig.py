# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""dfsadmin -reconfig: a running NameNode or DataNode re-reads its
configuration files and takes in the properties it lists as reconfigurable.

`start` begins a task in the daemon, `status` reports it; the daemon compares
the files with the values it runs with and reports each difference as
SUCCESS or FAILED (with the reason: a refused value, or a property it cannot
change without a restart).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

_CHANGED = re.compile(r'^SUCCESS: Changed property (\S+)\s*\n\s*From: "(.*)"\s*\n\s*To: "(.*)"', re.M)
_FAILED = re.compile(r'^FAILED: Change property (\S+)\s*\n(?:\s*From: .*\n\s*To: .*\n)?\s*Error: (.*)$', re.M)
_LISTED = re.compile(r'^Node \[.*\] Reconfigurable properties:\s*$', re.M)
# Why a daemon refuses a property it does not list (ReconfigurableBase).
_NOT_RECONFIGURABLE = re.compile(r'is not reconfigurable', re.I)


class ReconfigError(Exception):
    pass


def parse_status(text):
    """(finished, changed [{property, from, to}], failed [(property, error)]) of `-reconfig ... status`."""
    finished = 'finished at' in text
    changed = [{'property': m.group(1), 'from': m.group(2), 'to': m.group(3)} for m in _CHANGED.finditer(text)]
    failed = [(m.group(1), m.group(2).strip()) for m in _FAILED.finditer(text)]
    return finished, changed, failed


def parse_properties(text):
    """The property names `-reconfig ... properties` lists."""
    match = _LISTED.search(text)
    if not match:
        raise ReconfigError('the daemon did not list its reconfigurable properties: %s' % text.strip()[-300:])
    return [line.strip() for line in text[match.end():].splitlines() if line.strip()]


def refused(failed):
    """The failures that are refused values, not properties the daemon cannot change at run time."""
    return [(name, error) for name, error in failed if not _NOT_RECONFIGURABLE.search(error)]


def reconfigure(cli, daemon, address, timeout, sleep=time.sleep, clock=time.time):
    """Start the task and wait for it: (changed, failed) as parse_status gives them."""
    cli.run('dfsadmin', ['-reconfig', daemon, address, 'start'])
    deadline = clock() + timeout
    while True:
        out = cli.run('dfsadmin', ['-reconfig', daemon, address, 'status'])[1]
        finished, changed, failed = parse_status(out)
        if finished:
            return changed, failed
        if clock() > deadline:
            raise ReconfigError('the reconfiguration of the %s %s did not finish in %ss: %s'
                                % (daemon, address, timeout, out.strip()))
        sleep(1)
