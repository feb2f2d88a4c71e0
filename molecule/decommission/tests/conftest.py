# -*- coding: utf-8 -*-
"""Helpers of the workers scenario: playbook runs, and clients independent of
the collection (curl in the master container against JMX, the
ResourceManager REST API and WebHDFS)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys
import time


SCENARIO = os.environ.get('MOLECULE_SCENARIO_DIRECTORY', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ.get('MOLECULE_PROJECT_DIRECTORY', os.path.dirname(os.path.dirname(SCENARIO)))
INVENTORY = os.path.join(SCENARIO, 'inventory')
SCALED = os.path.join(SCENARIO, 'inventory-scaled')
# The client load and the Spark job of the rolling restart tests (molecule/common/workload.py).
sys.path.insert(0, os.path.join(PROJECT, 'molecule', 'common'))


def _plain(obj):
    # ansible-inventory marks strings that are not templates as {"__ansible_unsafe": value}.
    return obj['__ansible_unsafe'] if list(obj) == ['__ansible_unsafe'] else obj


def load(inventory):
    """Groups, containers and host variables of a topology (cluster.yml), as
    ansible-inventory reads it through the datafleet.hadoop.cluster plugin."""
    result = subprocess.run(['ansible-inventory', '-i', inventory, '--list'], capture_output=True, text=True,
                            env=playbook_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout, object_hook=_plain)
    hostvars = data['_meta']['hostvars']
    groups = dict((name, sorted(body['hosts'])) for name, body in data.items()
                  if name != '_meta' and body.get('hosts'))
    containers = dict((name, values['ansible_host']) for name, values in hostvars.items() if 'ansible_host' in values)
    return groups, containers, hostvars


def playbook_env():
    # molecule exports ANSIBLE_FORCE_COLOR: the output is read as plain text here.
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
                ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')


GROUPS, CONTAINERS, _HOSTVARS = load(SCALED)
MASTER = _HOSTVARS[GROUPS['namenodes'][0]]['hadoop_namenode_host']
MASTER_CONTAINER = CONTAINERS[MASTER]
WORKERS = GROUPS['datanodes']
NN = 'http://%s:9870' % MASTER
RM = 'http://%s:8088' % MASTER


def playbook_argv(name, inventory, *extra):
    argv = ['ansible-playbook', '-i', inventory, os.path.join(PROJECT, 'playbooks', name)]
    for value in extra:
        argv += value if isinstance(value, list) else ['-e', value if isinstance(value, str) else json.dumps(value)]
    return argv


class Run(object):
    """A finished playbook run: returncode, stdout without colors, and text (stdout with every run
    of white space made one space, for messages the callback wrapped)."""

    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = re.sub(r'\x1b\[[0-9;]*m', '', proc.stdout + proc.stderr)
        self.text = ' '.join(self.stdout.split())


def run_playbook(name, inventory, *extra):
    return Run(subprocess.run(playbook_argv(name, inventory, *extra), capture_output=True, text=True,
                              env=playbook_env(), cwd=PROJECT, check=False))


def start_playbook(name, inventory, log, *extra):
    """A playbook run in the background, in its own process group (to kill it whole)."""
    return subprocess.Popen(playbook_argv(name, inventory, *extra), stdout=log, stderr=subprocess.STDOUT,
                            env=playbook_env(), cwd=PROJECT, start_new_session=True)


def on_master(script, check=True):
    result = subprocess.run(['docker', 'exec', '-i', MASTER_CONTAINER, 'bash', '-c', script],
                            capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def get_json(url):
    return json.loads(on_master('curl -sS -f --max-time 30 "%s"' % url).stdout)


def jmx(bean):
    return get_json('%s/jmx?qry=Hadoop:service=NameNode,name=%s' % (NN, bean))['beans'][0]


def datanodes():
    """{host: LiveNodes/DeadNodes entry with 'live'} as the NameNode reports them."""
    info = jmx('NameNodeInfo')
    nodes = {}
    for key, live in (('DeadNodes', False), ('LiveNodes', True)):
        for name, node in json.loads(info[key] or '{}').items():
            nodes[name.split(':')[0]] = dict(node, live=live)
    return nodes


def nodemanagers():
    states = 'NEW,RUNNING,UNHEALTHY,DECOMMISSIONING,DECOMMISSIONED,LOST,REBOOTED,SHUTDOWN'
    nodes = (get_json('%s/ws/v1/cluster/nodes?states=%s' % (RM, states)).get('nodes') or {}).get('node') or []
    return dict((n['nodeHostName'], n) for n in nodes)


def namenode_conf(name):
    out = on_master('curl -sS -f "%s/conf?name=%s"' % (NN, name)).stdout
    return out.split('<value>')[1].split('</value>')[0]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.time() < deadline, 'timed out after %ss waiting for %s' % (timeout, what)
        time.sleep(2)
