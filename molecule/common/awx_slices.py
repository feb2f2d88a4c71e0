# -*- coding: utf-8 -*-
"""The inventories AWX gives the slices of a sliced job, made from the output
of `ansible-inventory --list --export` (what AWX imports at an inventory
sync): the hosts in name order, slice n holding every count-th host from the
n-th; every group kept with its members filtered to the slice and its
variables; the host variables of the slice's hosts only. Each slice is an
executable inventory script, as AWX hands a job its inventory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import sys


def unwrap(obj):
    """json object_hook: ansible-inventory marks strings that are not templates
    as {"__ansible_unsafe": value}."""
    return obj['__ansible_unsafe'] if list(obj) == ['__ansible_unsafe'] else obj


def slice_inventories(listing, count, directory):
    """[(script path, sorted host names)] of the count slices of listing
    (ansible-inventory --list --export, parsed with unwrap), written to directory."""
    hostvars = listing['_meta']['hostvars']
    hosts = sorted(hostvars)
    slices = []
    for number in range(1, count + 1):
        members = set(hosts[number - 1::count])
        data = {'_meta': {'hostvars': dict((h, v) for h, v in hostvars.items() if h in members)}}
        for name, group in listing.items():
            if name != '_meta':
                data[name] = dict(group, hosts=[h for h in group.get('hosts', []) if h in members])
        data_path = os.path.join(directory, 'slice%d.json' % number)
        with open(data_path, 'w') as out:
            json.dump(data, out)
        path = os.path.join(directory, 'slice%d.py' % number)
        with open(path, 'w') as script:
            script.write('#!%s\nimport sys\nsys.stdout.write(open(%r).read() if "--list" in sys.argv else "{}")\n'
                         % (sys.executable, data_path))
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        slices.append((path, sorted(members)))
    return slices
