# -*- coding: utf-8 -*-
"""Shared helpers of the scenario's tests: the inventory and an HTTP client
that runs curl inside the master container (the daemons' addresses resolve
there, as they do for any client on the cluster network)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import time

import pytest
import testinfra

SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY_DIR = os.path.join(SCENARIO, 'inventory')
# The client load and the Spark job of the rolling restart tests (molecule/common/workload.py).
sys.path.insert(0, os.path.join(PROJECT, 'molecule', 'common'))


def ansible_env():
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
                ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')


def inventory_list(*sources):
    """ansible-inventory --list over the sources: the inventory as Ansible reads it."""
    argv = ['ansible-inventory', '--list']
    for source in sources:
        argv += ['-i', source]
    result = subprocess.run(argv, capture_output=True, text=True, env=ansible_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout, object_hook=_plain)


def _plain(obj):
    # ansible-inventory marks strings that are not templates as {"__ansible_unsafe": value}.
    return obj['__ansible_unsafe'] if list(obj) == ['__ansible_unsafe'] else obj


def load_inventory():
    """Groups, containers and host variables of the scenario's topology
    (inventory/cluster.yml, read by the datafleet.hadoop.cluster plugin)."""
    data = inventory_list(INVENTORY_DIR)
    hostvars = data['_meta']['hostvars']
    groups = dict((name, sorted(body['hosts'])) for name, body in data.items()
                  if name != '_meta' and body.get('hosts'))
    containers = dict((name, values['ansible_host']) for name, values in hostvars.items() if 'ansible_host' in values)
    return groups, containers, hostvars


GROUPS, CONTAINERS, HOSTVARS = load_inventory()
ENDPOINTS = HOSTVARS[GROUPS['namenodes'][0]]


def run_site(inventory, *extra, **options):
    env = ansible_env()
    argv = ['ansible-playbook', '-i', inventory, os.path.join(PROJECT, 'playbooks', options.get('playbook', 'site.yml'))]
    for value in extra:
        argv += ['-e', value if isinstance(value, str) else json.dumps(value)]
    argv += list(options.get('flags', ()))
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=PROJECT, check=False)


MASTER = ENDPOINTS['hadoop_namenode_host']


class Curl(object):
    """HTTP requests with curl in a container: a client independent of the collection."""

    def __init__(self, host):
        self.host = host

    def get(self, url):
        result = self.host.run('curl -sS -L --max-time 30 %s', url)
        assert result.rc == 0, result.stderr
        return result.stdout

    def json(self, url):
        return json.loads(self.get(url))


@pytest.fixture(scope='module')
def master(host):
    return host.get_host('ansible://%s' % MASTER, ansible_inventory=host.backend.ansible_inventory)


@pytest.fixture(scope='module')
def curl(master):
    return Curl(master)


# ZooKeeper: the servers, and their modes as the four-letter word srvr reports them.
ZOOKEEPERS = GROUPS.get('zookeepers', [])
ZOOKEEPER_PORT = 2181


def node(name):
    return testinfra.get_host('docker://' + CONTAINERS[name])


def ask(word, server, check=True):
    """A four-letter word sent from the master's container over bash's /dev/tcp."""
    result = node(MASTER).run("bash -c 'exec 3<>/dev/tcp/%s/%d; printf %s >&3; cat <&3'"
                              % (server, ZOOKEEPER_PORT, word))
    assert result.rc == 0 or not check, result.stderr
    return result.stdout if result.rc == 0 else ''


def mode(server):
    """leader, follower, standalone; None while the server is down or out of a quorum."""
    lines = [line for line in ask('srvr', server, check=False).splitlines() if line.startswith('Mode: ')]
    return lines[0].split(': ', 1)[1] if lines else None


def modes():
    return dict((server, mode(server)) for server in ZOOKEEPERS)


def quorum(found):
    """The modes of a whole ensemble: one leader, the rest followers."""
    return sorted(str(m) for m in found.values()) == ['follower', 'follower', 'leader']


def wait_for_modes(predicate, timeout=90):
    deadline = time.time() + timeout
    current = modes()
    while not predicate(current) and time.time() < deadline:
        time.sleep(1)
        current = modes()
    return current
