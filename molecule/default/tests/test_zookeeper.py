# -*- coding: utf-8 -*-
"""The ZooKeeper ensemble, checked with clients independent of the collection:
bash's /dev/tcp for the four-letter words, curl for the AdminServer's port,
and ZooKeeper's own command-line client for data. A zoo.cfg change is in
test_restarts.py (it shares that file's site.yml runs)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

import pytest

from conftest import HOSTVARS, MASTER, ZOOKEEPERS as SERVERS, ask, modes, node, quorum, wait_for_modes


# The command-line client, with logging off so that stdout is its answer.
ZK_CLI = ("printf '<configuration><root level=\"OFF\"/></configuration>' > /tmp/zk-cli-logback.xml && "
          "java -Dlogback.configurationFile=/tmp/zk-cli-logback.xml -cp '/opt/zookeeper/current/lib/*' "
          "org.apache.zookeeper.ZooKeeperMain -server %s:2181 %s")


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
