# -*- coding: utf-8 -*-
"""The ZooKeeper ensemble, checked with clients independent of the collection:
bash's /dev/tcp for the four-letter words, curl for the AdminServer's port,
and ZooKeeper's own command-line client for data."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
import uuid

import pytest
import testinfra

from conftest import CONTAINERS, GROUPS, HOSTVARS, INVENTORY_DIR, MASTER, run_site
from test_restarts import YARN_SITE, start_times

SERVERS = GROUPS['zookeepers']
PORT = 2181
# The command-line client, with logging off so that stdout is its answer.
ZK_CLI = ("printf '<configuration><root level=\"OFF\"/></configuration>' > /tmp/zk-cli-logback.xml && "
          "java -Dlogback.configurationFile=/tmp/zk-cli-logback.xml -cp '/opt/zookeeper/current/lib/*' "
          "org.apache.zookeeper.ZooKeeperMain -server %s:2181 %s")


def node(name):
    return testinfra.get_host('docker://' + CONTAINERS[name])


def ask(word, server, check=True):
    """A four-letter word sent from the master's container over bash's /dev/tcp."""
    result = node(MASTER).run("bash -c 'exec 3<>/dev/tcp/%s/%d; printf %s >&3; cat <&3'" % (server, PORT, word))
    assert result.rc == 0 or not check, result.stderr
    return result.stdout if result.rc == 0 else ''


def mode(server):
    """leader, follower, standalone; None while the server is down or out of a quorum."""
    lines = [line for line in ask('srvr', server, check=False).splitlines() if line.startswith('Mode: ')]
    return lines[0].split(': ', 1)[1] if lines else None


def modes():
    return dict((server, mode(server)) for server in SERVERS)


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


def zk_cli(server, command):
    result = node(MASTER).run(ZK_CLI % (server, command))
    assert result.rc == 0, result.stdout + result.stderr
    return result.stdout


def test_the_ensemble_has_one_leader_and_the_rest_follow():
    assert len(SERVERS) == 3
    found = modes()
    assert quorum(found), found


@pytest.mark.parametrize('server', SERVERS)
def test_each_server_has_its_inventory_id(server):
    myid = node(server).file('/var/lib/zookeeper/data/myid')
    assert myid.user == 'zookeeper'
    assert myid.content_string.strip() == str(HOSTVARS[server]['zookeeper_myid'])


def test_only_the_whitelisted_four_letter_words_answer():
    server = SERVERS[0]
    assert ask('ruok', server) == 'imok'
    assert 'zk_server_state' in ask('mntr', server)
    assert 'not in the whitelist' in ask('conf', server)
    assert 'not in the whitelist' in ask('dump', server)


@pytest.mark.parametrize('server', SERVERS)
def test_the_admin_server_does_not_listen(server):
    result = node(MASTER).run('curl -sS --max-time 5 http://%s:8080/commands/stat', server)
    assert result.rc == 7, (result.rc, result.stdout, result.stderr)  # 7: could not connect


def test_data_written_through_one_server_is_read_through_the_others_and_survives_a_restart():
    path = '/molecule-%s' % uuid.uuid4().hex[:12]
    value = uuid.uuid4().hex
    zk_cli(SERVERS[0], 'create %s %s' % (path, value))
    for server in SERVERS[1:]:
        assert value in zk_cli(server, 'get %s' % path).split()

    # Restart a follower: it rejoins the quorum as a follower and still serves the data.
    follower = sorted(s for s, m in modes().items() if m == 'follower')[0]
    node(follower).run_expect([0], 'systemctl restart zookeeper-server')
    found = wait_for_modes(quorum)
    assert quorum(found), found
    assert value in zk_cli(follower, 'get %s' % path).split()
    zk_cli(SERVERS[0], 'delete %s' % path)


# The settings test_restarts.py leaves the cluster with (it runs before this file).
LEFT = ({'hadoop_yarn_site': YARN_SITE}, 'hadoop_log_level=WARN')


def test_a_zoo_cfg_change_restarts_only_zookeeper_and_the_ensemble_comes_back():
    # A value no earlier run has set, so zoo.cfg really changes.
    connections = 100 + int(time.time()) % 1000
    before = start_times()
    result = run_site(INVENTORY_DIR, *(LEFT + ({'zookeeper_config': {'maxClientCnxns': connections}},)))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    after = start_times()
    restarted = sorted(set(key for key in before if after.get(key) != before[key]))
    assert restarted == sorted((CONTAINERS[s], 'zookeeper-server') for s in SERVERS)
    assert quorum(modes())
    for server in SERVERS:
        assert 'maxClientCnxns %d' % connections in node(server).file('/etc/zookeeper/conf/zoo.cfg').content_string

    # Back to the scenario's configuration: ZooKeeper restarts again, nothing else.
    result = run_site(INVENTORY_DIR, *LEFT)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    final = start_times()
    assert sorted(set(key for key in after if final.get(key) != after[key])) == restarted
    assert quorum(modes())
