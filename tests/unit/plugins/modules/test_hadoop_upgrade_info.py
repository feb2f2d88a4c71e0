# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import FACT_BEANS
from ansible_collections.datafleet.hadoop.plugins.modules import hadoop_upgrade_info
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import (
    BEAN, FSCK_OPEN, FollowedRedirect, Reply, bean, captured_bytes, captured_json)

# The HA cluster of the rolling-upgrade captures (Hadoop 3.4.2, captured/README.md).
NN1, NN2 = 'mh-master1.dfmolha:9870', 'mh-master2.dfmolha:9870'
RM1, RM2 = 'mh-master1.dfmolha:8088', 'mh-master2.dfmolha:8088'
W1, W2 = 'mh-worker1.dfmolha', 'mh-worker2.dfmolha'
NETLOC = {1: NN1, 2: NN2}
TARGET = '3.5.0'


def capture(name, moment, number):
    return 'nn_jmx_%s_upgrade_%s_%d.json' % (name, moment, number)


def serve_namenode(hadoop, number, moment, **replies):
    """Route the four beans of NameNode `number` to their captures at `moment`; replies: others, by bean."""
    for name in FACT_BEANS:
        reply = replies.get(name) or Reply.captured(capture(name, moment, number))
        hadoop.on('GET', '/jmx', reply, qry=BEAN % name, netloc=NETLOC[number])


def standby_redirect(hadoop, name, active):
    """Derived: the standby ResourceManager's answer to /ws/v1/cluster/<path> other than info: the captured body
    ("This is standby RM. The redirect url is: <path and query>") with the status and header RMWebAppFilter
    sends it with - 307, Location the active's address and the same path and query (curl -s kept the body
    only). open_url follows it."""
    body = captured_bytes(name)
    path = body.decode('utf-8').strip().split('The redirect url is: ', 1)[1]
    return FollowedRedirect(hadoop, Reply(307, body, {'Location': 'http://%s%s' % (active, path)}))


def serve_resourcemanagers(hadoop, standby_down=False):
    if standby_down:
        hadoop.on('GET', '/ws/v1/cluster/info', URLError('[Errno 111] Connection refused'), netloc=RM1)
    else:
        hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_upgrade_standby.json'), netloc=RM1)
        hadoop.on('GET', '/ws/v1/cluster/metrics', standby_redirect(hadoop, 'rm_cluster_metrics_upgrade_standby.txt',
                                                                    RM2), netloc=RM1)
        hadoop.on('GET', '/ws/v1/cluster/nodes',
                  standby_redirect(hadoop, 'rm_cluster_nodes_all_states_upgrade_standby.txt', RM2), netloc=RM1)
    hadoop.on('GET', '/ws/v1/cluster/info', Reply.captured('rm_cluster_info_upgrade_active.json'), netloc=RM2)
    hadoop.on('GET', '/ws/v1/cluster/metrics', Reply.captured('rm_cluster_metrics_upgrade.json'), netloc=RM2)
    hadoop.on('GET', '/ws/v1/cluster/nodes', Reply.captured('rm_cluster_nodes_all_states_upgrade.json'), netloc=RM2)


def fsck_summary_answer():
    """Derived: FSCK_OPEN (the fsck of / on the sandbox) as the servlet answers /fsck?path=/ without files=1:
    its first line, then the summary (the file lines dropped)."""
    lines = captured_bytes(FSCK_OPEN).decode('utf-8').splitlines(True)
    status = [i for i, line in enumerate(lines) if line.startswith('Status:')][0]
    return Reply(200, ''.join(lines[:2] + lines[status:]))


def expected_summary():
    text = captured_bytes(FSCK_OPEN).decode('utf-8')
    return text[text.index('\nStatus:') + 1:].strip()


def serve(hadoop, moment='before', nn1=None, nn2=None, fsck=None):
    serve_namenode(hadoop, 1, moment, **(nn1 or {}))
    serve_namenode(hadoop, 2, moment, **(nn2 or {}))
    serve_resourcemanagers(hadoop)
    hadoop.on('GET', '/fsck', fsck or fsck_summary_answer(), netloc=NN1)


def args(tmp_path, marker=None, **more):
    path = tmp_path / 'upgrade-target'
    if marker is not None:
        path.write_text(marker)
    return dict({'namenode_urls': ['http://' + NN1, 'http://' + NN2],
                 'resourcemanager_urls': ['http://' + RM1, 'http://' + RM2],
                 'datanodes': [W1, W2], 'nodemanagers': [W1, W2], 'target_version': TARGET,
                 'marker_file': str(path)}, **more)


def txid(moment, number):
    return int(json.loads(bean(capture('NameNodeInfo', moment, number))['JournalTransactionInfo'])[
        'LastAppliedOrWrittenTxId'])


def rolling(moment, number=1):
    return bean(capture('NameNodeInfo', moment, number))['RollingUpgradeStatus']


def test_the_cluster_before_the_upgrade(hadoop, run_module, tmp_path):
    serve(hadoop)
    result = run_module(hadoop_upgrade_info, args(tmp_path, fsck=True))
    assert result['changed'] is False and 'failed' not in result
    live = json.loads(bean(capture('NameNodeInfo', 'before', 1))['LiveNodes'])
    nodes = captured_json('rm_cluster_nodes_all_states_upgrade.json')['nodes']['node']
    assert result['versions'] == {
        'namenode': dict(('http://' + NETLOC[n], bean(capture('NameNodeInfo', 'before', n))['SoftwareVersion'])
                         for n in (1, 2)),
        'datanode': dict((name.split(':')[0], node['version']) for name, node in live.items()),
        'resourcemanager': {
            'http://' + RM1: captured_json('rm_cluster_info_upgrade_standby.json')['clusterInfo']['hadoopVersion'],
            'http://' + RM2: captured_json('rm_cluster_info_upgrade_active.json')['clusterInfo']['hadoopVersion']},
        'nodemanager': dict((n['nodeHostName'], n['version']) for n in nodes),
    }
    assert result['pending'] == {'namenode': ['http://' + NN1, 'http://' + NN2], 'datanode': [W1, W2],
                                 'resourcemanager': ['http://' + RM1, 'http://' + RM2], 'nodemanager': [W1, W2]}
    assert result['rolling_upgrade'] is None and result['marker'] is None
    assert result['cluster_id'] == bean(capture('NameNodeInfo', 'before', 1))['ClusterId']
    assert result['namenodes'] == [
        {'url': 'http://' + NN1, 'state': 'active', 'version': '3.4.2', 'lag': 0, 'error': None},
        {'url': 'http://' + NN2, 'state': 'standby', 'version': '3.4.2', 'lag': txid('before', 1) - txid('before', 2),
         'error': None}]
    assert result['problems'] == []
    # dfsadmin -report's content, from the active NameNode.
    system = bean(capture('FSNamesystem', 'before', 1))
    report = result['report']
    assert report['capacity']['used'] == system['CapacityUsed']
    assert report['blocks']['total'] == system['BlocksTotal'] and report['files_total'] == system['FilesTotal']
    assert sorted(node['name'] for node in report['live_nodes']) == sorted(live)
    assert [node['blocks'] for node in report['live_nodes']] == [live[name]['numBlocks'] for name in sorted(live)]
    assert report['dead_nodes'] == [] and report['datanodes']['live'] == len(live)
    assert result['fsck'] == expected_summary()
    assert result['fsck'].startswith('Status: HEALTHY\n')
    fsck, = [r for r in hadoop.requests if r.path == '/fsck']
    assert (fsck.netloc, fsck.query) == (NN1, {'ugi': 'hdfs', 'path': '/'})
    # The standby ResourceManager's 307 was followed to the active one.
    assert [(r.netloc, r.path) for r in hadoop.requests if r.path == '/ws/v1/cluster/nodes'] == [
        (RM1, '/ws/v1/cluster/nodes'), (RM2, '/ws/v1/cluster/nodes'), (RM2, '/ws/v1/cluster/nodes')]
    assert all(r.method == 'GET' for r in hadoop.requests)


def test_nothing_else_without_fsck(hadoop, run_module, tmp_path):
    serve(hadoop)
    result = run_module(hadoop_upgrade_info, args(tmp_path, fsck_user='nobody'))
    assert 'fsck' not in result
    assert [r for r in hadoop.requests if r.path == '/fsck'] == []


def test_fsck_as_another_user(hadoop, run_module, tmp_path):
    serve(hadoop)
    run_module(hadoop_upgrade_info, args(tmp_path, fsck=True, fsck_user='hdfsadmin'))
    assert [r.query['ugi'] for r in hadoop.requests if r.path == '/fsck'] == ['hdfsadmin']


def test_fsck_from_the_active_namenode_after_a_failover(hadoop, run_module, tmp_path):
    # Derived: the captured NameNodeStatus beans with the HA states swapped.
    def status(number, state):
        return Reply.json({'beans': [dict(bean(capture('NameNodeStatus', 'before', number)), State=state)]})
    serve(hadoop, nn1={'NameNodeStatus': status(1, 'standby')}, nn2={'NameNodeStatus': status(2, 'active')})
    hadoop.on('GET', '/fsck', fsck_summary_answer(), netloc=NN2)
    result = run_module(hadoop_upgrade_info, args(tmp_path, fsck=True))
    assert [r.netloc for r in hadoop.requests if r.path == '/fsck'] == [NN2]
    assert result['fsck'] == expected_summary()
    assert [m['state'] for m in result['namenodes']] == ['standby', 'active']
    assert result['problems'] == []


def test_a_failed_fsck_is_a_problem(hadoop, run_module, tmp_path):
    serve(hadoop, fsck=URLError('timed out'))
    result = run_module(hadoop_upgrade_info, args(tmp_path, fsck=True))
    assert 'failed' not in result
    assert result['problems'] == ['fsck / failed: cannot reach GET http://%s/fsck?path=%%2F&ugi=hdfs: timed out. '
                                  'Check the NameNode and run again.' % NN1]


def test_resuming_the_upgrade_prepared_for_the_target(hadoop, run_module, tmp_path):
    serve(hadoop, 'prepared')
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET + '\n', fsck=True))
    assert result['marker'] == TARGET
    assert result['rolling_upgrade'] == rolling('prepared') != rolling('before')
    assert result['rolling_upgrade']['createdRollbackImages'] is True
    assert result['problems'] == []


def test_the_rolling_upgrade_is_the_active_namenode_s(hadoop, run_module, tmp_path):
    # Right after prepare the active (nn1) has no rollback image yet, the standby says it has.
    serve(hadoop, 'preparing')
    assert rolling('preparing', 2)['createdRollbackImages'] is True
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET))
    assert result['rolling_upgrade'] == rolling('preparing', 1)
    assert result['rolling_upgrade']['createdRollbackImages'] is False
    assert result['problems'] == []


def test_after_finalize(hadoop, run_module, tmp_path):
    # The standby still lists the rolling upgrade: it had not applied the finalize yet (3 transactions behind).
    serve(hadoop, 'finalized')
    assert rolling('finalized', 2)
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET))
    assert result['rolling_upgrade'] is None
    assert [m['lag'] for m in result['namenodes']] == [0, txid('finalized', 1) - txid('finalized', 2)]
    assert result['namenodes'][1]['lag'] > 0
    assert result['problems'] == []


@pytest.mark.parametrize('marker, phrase', [(None, 'this collection did not start'),
                                            ('3.6.0', 'was prepared for 3.6.0')])
def test_a_rolling_upgrade_not_prepared_for_the_target(hadoop, run_module, tmp_path, marker, phrase):
    serve(hadoop, 'prepared')
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=marker))
    assert result['marker'] == marker
    problem, = result['problems']
    assert problem.startswith('HDFS has a rolling upgrade in progress that %s (started at %s ms since the epoch)'
                              % (phrase, rolling('prepared')['startTime']))


def test_an_empty_marker_file_is_no_marker(hadoop, run_module, tmp_path):
    serve(hadoop, 'prepared')
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker='\n'))
    assert result['marker'] is None
    assert 'this collection did not start' in result['problems'][0]


def test_a_namenode_that_does_not_answer(hadoop, run_module, tmp_path):
    serve_namenode(hadoop, 1, 'before')
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), netloc=NN2)
    serve_resourcemanagers(hadoop)
    result = run_module(hadoop_upgrade_info, args(tmp_path))
    assert result['namenodes'][1] == {
        'url': 'http://' + NN2, 'state': None, 'version': None, 'lag': None,
        'error': 'cannot reach GET http://%s/jmx?qry=%s: [Errno 111] Connection refused'
                 % (NN2, 'Hadoop%3Aservice%3DNameNode%2Cname%3DNameNodeStatus')}
    assert result['problems'] == ['the NameNodes http://%s do not answer: start them (site.yml) and run again.' % NN2]
    assert list(result['versions']['namenode']) == ['http://' + NN1]


def test_a_namenode_that_does_not_answer_while_resuming(hadoop, run_module, tmp_path):
    serve_namenode(hadoop, 1, 'prepared')
    hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), netloc=NN2)
    serve_resourcemanagers(hadoop, standby_down=True)
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET))
    assert result['problems'] == []
    assert result['namenodes'][1]['state'] is None
    assert list(result['versions']['resourcemanager']) == ['http://' + RM2]


def test_a_standby_far_behind(hadoop, run_module, tmp_path):
    # Derived: the standby's NameNodeInfo with a last applied transaction 10001 before the active's.
    info = bean(capture('NameNodeInfo', 'before', 2))
    behind = txid('before', 1) - 10001
    info['JournalTransactionInfo'] = json.dumps(dict(json.loads(info['JournalTransactionInfo']),
                                                     LastAppliedOrWrittenTxId=str(behind)))
    serve(hadoop, nn2={'NameNodeInfo': Reply.json({'beans': [info]})})
    result = run_module(hadoop_upgrade_info, args(tmp_path))
    assert result['namenodes'][1]['lag'] == 10001
    assert result['problems'] == ['the standby NameNodes http://%s (10001) are more than 10000 transactions behind '
                                  'the active one: wait until they catch up (check the JournalNodes) and run '
                                  'again.' % NN2]


def test_an_expected_worker_the_cluster_does_not_know(hadoop, run_module, tmp_path):
    serve(hadoop)
    result = run_module(hadoop_upgrade_info, dict(args(tmp_path), datanodes=[W1, W2, 'mh-worker3.dfmolha'],
                                                  nodemanagers=[W1, 'mh-worker3.dfmolha']))
    assert [p.split(' are not')[0] for p in result['problems']] == [
        'the DataNodes mh-worker3.dfmolha', 'the NodeManagers mh-worker3.dfmolha']


def test_a_downgrade_of_the_prepared_upgrade(hadoop, run_module, tmp_path):
    serve(hadoop, 'prepared')
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET, target_version='3.4.2', downgrade=True))
    assert result['problems'] == []
    assert result['pending'] == {'namenode': [], 'datanode': [], 'resourcemanager': [], 'nodemanager': []}
    assert result['rolling_upgrade'] == rolling('prepared')


def test_no_downgrade_without_a_rolling_upgrade(hadoop, run_module, tmp_path):
    serve(hadoop)
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET, target_version='3.4.2', downgrade=True))
    problem, = result['problems']
    assert problem.startswith('no rolling upgrade of this collection is in progress (HDFS reports none)')


def test_a_cluster_without_yarn(hadoop, run_module, tmp_path):
    serve_namenode(hadoop, 1, 'before')
    serve_namenode(hadoop, 2, 'before')
    result = run_module(hadoop_upgrade_info, dict(args(tmp_path), resourcemanager_urls=[], nodemanagers=[]))
    assert result['problems'] == []
    assert result['versions']['resourcemanager'] == {} and result['versions']['nodemanager'] == {}
    assert {r.path for r in hadoop.requests} == {'/jmx'}


def test_check_mode_reads_the_same(hadoop, run_module, tmp_path):
    serve(hadoop, 'prepared')
    result = run_module(hadoop_upgrade_info, args(tmp_path, marker=TARGET), check_mode=True)
    assert result['changed'] is False and result['rolling_upgrade'] == rolling('prepared')
    assert (tmp_path / 'upgrade-target').read_text() == TARGET


def test_no_namenode_answers(hadoop, run_module, tmp_path):
    for number in (1, 2):
        hadoop.on('GET', '/jmx', URLError('[Errno 111] Connection refused'), netloc=NETLOC[number])
    serve_resourcemanagers(hadoop)
    result = run_module(hadoop_upgrade_info, args(tmp_path, fsck=True))
    assert result['report'] is None and result['cluster_id'] is None and result['fsck'] is None
    assert result['problems'][0] == ('the NameNodes http://%s, http://%s do not answer: start them (site.yml) and run '
                                     'again.' % (NN1, NN2))
