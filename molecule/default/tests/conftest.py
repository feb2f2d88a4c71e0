# -*- coding: utf-8 -*-
"""Shared helpers of the scenario's tests: the inventory and an HTTP client
that runs curl inside the master container (the daemons' addresses resolve
there, as they do for any client on the cluster network)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess

import pytest
import yaml

SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY_DIR = os.path.join(SCENARIO, 'inventory')


def load_inventory():
    with open(os.path.join(INVENTORY_DIR, 'hosts.yml')) as handle:
        hosts = yaml.safe_load(handle)
    with open(os.path.join(INVENTORY_DIR, 'group_vars', 'all', 'endpoints.yml')) as handle:
        endpoints = yaml.safe_load(handle)
    groups = dict((name, sorted(group['hosts'])) for name, group in hosts['hadoop']['children'].items())
    containers = {}
    for group in hosts['hadoop']['children'].values():
        for name, hostvars in group['hosts'].items():
            if hostvars and 'ansible_host' in hostvars:
                containers[name] = hostvars['ansible_host']
    return groups, containers, endpoints


GROUPS, CONTAINERS, ENDPOINTS = load_inventory()


def run_site(inventory, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')
    argv = ['ansible-playbook', '-i', inventory, os.path.join(PROJECT, 'playbooks', 'site.yml')]
    for value in extra:
        argv += ['-e', value if isinstance(value, str) else json.dumps(value)]
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
