# -*- coding: utf-8 -*-
"""Helpers of the HA scenario: the topology as Ansible reads it, playbook
runs, and clients independent of the collection: curl and bash in the
containers, Hadoop's own FsShell through the nameservice."""

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
# The client load and the Spark job of the upgrade tests (molecule/common/workload.py).
sys.path.insert(0, os.path.join(PROJECT, 'molecule', 'common'))


def playbook_env():
    # molecule exports ANSIBLE_FORCE_COLOR: the output is read as plain text here.
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
                ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default')


def _plain(obj):
    # ansible-inventory marks strings that are not templates as {"__ansible_unsafe": value}.
    return obj['__ansible_unsafe'] if list(obj) == ['__ansible_unsafe'] else obj


def load(inventory):
    result = subprocess.run(['ansible-inventory', '-i', inventory, '--list'], capture_output=True, text=True,
                            env=playbook_env(), cwd=PROJECT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout, object_hook=_plain)
    hostvars = data['_meta']['hostvars']
    groups = dict((name, sorted(body['hosts'])) for name, body in data.items()
                  if name != '_meta' and body.get('hosts'))
    return groups, hostvars


GROUPS, HOSTVARS = load(INVENTORY)
CONTAINERS = dict((name, values['ansible_host']) for name, values in HOSTVARS.items())
NAMESERVICE = HOSTVARS[GROUPS['namenodes'][0]]['hadoop_cluster_name']
NAMENODES = GROUPS['namenodes']
RESOURCEMANAGERS = GROUPS['resourcemanagers']
ZOOKEEPERS = GROUPS['zookeepers']
JOURNALNODES = GROUPS['journalnodes']
WORKERS = GROUPS['datanodes']
CLIENT = GROUPS['spark_clients'][0]
# Where curl runs: a host that stays up while masters are killed.
PROBE = CLIENT


# Every playbook run's output is kept here, numbered in order, to read after a failure.
RUNS = os.path.join(PROJECT, '.cache', 'molecule-logs', os.path.basename(SCENARIO) + '-runs')


def keep(argv, output):
    os.makedirs(RUNS, exist_ok=True)
    name = '%03d-%s.log' % (len(os.listdir(RUNS)) + 1, os.path.basename(argv[3]).split('.')[0])
    with open(os.path.join(RUNS, name), 'w') as handle:
        handle.write(' '.join(argv) + '\n' + output)


class Run(object):
    """A finished playbook run: returncode, output without colors, and text
    (the output with every run of white space made one space)."""

    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = re.sub(r'\x1b\[[0-9;]*m', '', proc.stdout + proc.stderr)
        self.text = ' '.join(self.stdout.split())
        keep(proc.args, self.stdout)


def run_playbook(name, inventory=INVENTORY, *extra):
    argv = ['ansible-playbook', '-i', inventory, os.path.join(PROJECT, 'playbooks', name)]
    for value in extra:
        argv += value if isinstance(value, list) else ['-e', value if isinstance(value, str) else json.dumps(value)]
    return Run(subprocess.run(argv, capture_output=True, text=True, env=playbook_env(), cwd=PROJECT, check=False))


def on(host, script, check=True):
    result = subprocess.run(['docker', 'exec', '-i', CONTAINERS[host], 'bash', '-c', script],
                            capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, '%s: %s' % (host, result.stdout + result.stderr)
    return result


def http(url):
    """(status, body) of a GET from the probe host; status 0 when nothing answers."""
    result = on(PROBE, 'curl -sS --max-time 10 -o /tmp/ha-body -w "%%{http_code}" "%s"; cat /tmp/ha-body' % url,
                check=False)
    status = result.stdout[:3]
    return (int(status) if status.isdigit() else 0), result.stdout[3:]


def get_json(url):
    status, body = http(url)
    assert status == 200, '%s answered %s: %s' % (url, status, body[:500])
    return json.loads(body)


def nn_url(host):
    return 'http://%s:9870' % host


def rm_url(host):
    return 'http://%s:8088' % host


def nn_bean(host, name):
    status, body = http('%s/jmx?qry=Hadoop:service=NameNode,name=%s' % (nn_url(host), name))
    beans = json.loads(body).get('beans') if status == 200 else None
    return beans[0] if beans else None


def nn_state(host):
    """active, standby, or None while the NameNode does not answer."""
    bean = nn_bean(host, 'NameNodeStatus')
    return bean.get('State') if bean else None


def nn_states():
    return dict((host, nn_state(host)) for host in NAMENODES)


def rm_state(host):
    status, body = http('%s/ws/v1/cluster/info' % rm_url(host))
    return json.loads(body)['clusterInfo'].get('haState') if status == 200 else None


def rm_states():
    return dict((host, rm_state(host)) for host in RESOURCEMANAGERS)


def the(states, wanted):
    found = [host for host, state in states.items() if state == wanted]
    assert len(found) == 1, 'expected one %s master, found %s' % (wanted, states)
    return found[0]


def active_namenode():
    return the(nn_states(), 'active')


def active_resourcemanager():
    return the(rm_states(), 'ACTIVE')


def cluster_ids():
    """clusterID in each NameNode's metadata directory (VERSION file)."""
    ids = {}
    for host in NAMENODES:
        out = on(host, 'grep -h ^clusterID= /var/lib/hadoop/hdfs/namenode/current/VERSION', check=False).stdout
        ids[host] = out.strip().split('=', 1)[1] if out.strip() else None
    return ids


def wait_for(predicate, timeout, what, interval=1):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.time() < deadline, 'timed out after %ss waiting for %s' % (timeout, what)
        time.sleep(interval)


def kill(host, unit):
    """SIGKILL the daemon, as a crash would; systemd starts it again."""
    on(host, 'systemctl kill -s KILL %s.service' % unit)
    return time.time()
