# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._hdfs import namenode_facts
from ansible_collections.datafleet.hadoop.plugins.module_utils._upgrade import (
    _yarn_problems, parse_version, pending, precheck_problems, running_versions, version_problems)
from ansible_collections.datafleet.hadoop.plugins.module_utils._yarn import resourcemanager_facts
from ansible_collections.datafleet.hadoop.plugins.modules.hadoop_upgrade_info import with_lag
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import bean, captured_json

# The HA cluster of the rolling-upgrade captures (Hadoop 3.4.2, captured/README.md): nn1 active, nn2 standby,
# rm1 standby, rm2 active, two workers. The moments: before, preparing, prepared, finalized.
NN1, NN2 = 'http://mh-master1.dfmolha:9870', 'http://mh-master2.dfmolha:9870'
RM1, RM2 = 'http://mh-master1.dfmolha:8088', 'http://mh-master2.dfmolha:8088'
W1, W2 = 'mh-worker1.dfmolha', 'mh-worker2.dfmolha'
WORKERS = [W1, W2]
UNKNOWN = 'mh-worker3.dfmolha'  # a host the inventory expects and the cluster does not know
TARGET = '3.5.0'
RUNNING = '3.4.2'
URLS = {1: NN1, 2: NN2}
# The sandbox (non-HA, Hadoop 3.5.0) of the decommission, maintenance, safe mode and corrupt-block captures.
SANDBOX_NN, SANDBOX_RM = 'http://df-master.dfsandbox:9870', 'http://df-master.dfsandbox:8088'
S1, S2, S3 = 'df-worker1.dfsandbox', 'df-worker2.dfsandbox', 'df-worker3.dfsandbox'
# The order namenode_facts takes the beans in.
FACT_ORDER = ('NameNodeStatus', 'FSNamesystemState', 'FSNamesystem', 'NameNodeInfo')


def capture(name, moment, number):
    return 'nn_jmx_%s_upgrade_%s_%d.json' % (name, moment, number)


def facts(moment='before', number=1, **beans):
    """namenode_facts of a captured NameNode at a moment; a bean given by name replaces the captured one."""
    return namenode_facts(*(beans.get(name) or bean(capture(name, moment, number)) for name in FACT_ORDER))


def namenodes(moment='before', down=(), nn1=None, nn2=None):
    """Both NameNodes as hadoop_upgrade_info reads them (with_lag); those of `down` do not answer. nn1, nn2:
    beans replacing the captured ones of that NameNode, by name."""
    members = []
    for number, changed in ((1, nn1), (2, nn2)):
        answered = number not in down
        members.append({'url': URLS[number], 'facts': facts(moment, number, **(changed or {})) if answered else None})
    return with_lag(members)


# Derived beans ---------------------------------------------------------------------

def with_state(moment, number, state):
    """Derived: a captured NameNodeStatus with another HA state."""
    return dict(bean(capture('NameNodeStatus', moment, number)), State=state)


def with_txid(moment, number, txid):
    """Derived: a captured NameNodeInfo whose JournalTransactionInfo names another last transaction."""
    info = bean(capture('NameNodeInfo', moment, number))
    journal = json.loads(info['JournalTransactionInfo'])
    journal['LastAppliedOrWrittenTxId'] = str(txid)
    return dict(info, JournalTransactionInfo=json.dumps(journal))


def with_dead(moment, number, host):
    """Derived: a captured NameNodeInfo with `host` dead: gone from LiveNodes, in DeadNodes with the fields
    the NameNode lists for a dead in-service DataNode (those of nn_jmx_NameNodeInfo_dead.json), its own
    transfer address, rack and uuid."""
    info = bean(capture('NameNodeInfo', moment, number))
    live, dead = json.loads(info['LiveNodes']), json.loads(info['DeadNodes'])
    node = live.pop(host + ':9866')
    template = list(json.loads(bean('nn_jmx_NameNodeInfo_dead.json')['DeadNodes']).values())[0]
    dead[host + ':9866'] = dict(template, **dict((key, node[key]) for key in ('xferaddr', 'location', 'uuid') if key in node))
    return dict(info, LiveNodes=json.dumps(live), DeadNodes=json.dumps(dead))


def rolling_status(moment='prepared', number=1):
    status = bean(capture('NameNodeInfo', moment, number))['RollingUpgradeStatus']
    assert status, 'no rolling upgrade in %s' % capture('NameNodeInfo', moment, number)
    return status


# ResourceManagers -------------------------------------------------------------------

def rm_facts(info):
    """The facts of a ResourceManager of the capture. The metrics and nodes are the active's for both: the
    standby answers them with a 307 to the active, which open_url follows."""
    return resourcemanager_facts(info, captured_json('rm_cluster_metrics_upgrade.json'),
                                 captured_json('rm_cluster_nodes_all_states_upgrade.json'))


def resourcemanagers(down=(), standby=None, active=None):
    standby = standby or captured_json('rm_cluster_info_upgrade_standby.json')
    active = active or captured_json('rm_cluster_info_upgrade_active.json')
    return [{'url': RM1, 'facts': None if 1 in down else rm_facts(standby)},
            {'url': RM2, 'facts': None if 2 in down else rm_facts(active)}]


def lost_resourcemanager():
    """The one ResourceManager of the sandbox with df-worker2 LOST (captured; no metrics were captured then, and
    nothing here reads them)."""
    return {'url': SANDBOX_RM, 'facts': resourcemanager_facts(
        captured_json('rm_cluster_info_lost.json'), {}, captured_json('rm_cluster_nodes_all_states_lost.json'))}


def both_active():
    """Derived: the standby ResourceManager's info saying ACTIVE as well."""
    info = captured_json('rm_cluster_info_upgrade_standby.json')
    info['clusterInfo']['haState'] = 'ACTIVE'
    return resourcemanagers(standby=info)


def check(moment='before', nns=None, rms=None, datanodes=None, nodemanagers=None, target=TARGET, **options):
    return precheck_problems(namenodes(moment) if nns is None else nns,
                             resourcemanagers() if rms is None else rms,
                             WORKERS if datanodes is None else datanodes,
                             WORKERS if nodemanagers is None else nodemanagers, target, **options)


def sandbox(info, state='nn_jmx_FSNamesystemState_decommissioned.json',
            system='nn_jmx_FSNamesystem_decommissioned.json', status='nn_jmx_NameNodeStatus.json'):
    """The one NameNode of the sandbox, as a member (beans as test__rolling combines them)."""
    beans = [bean(b) if isinstance(b, str) else b for b in (status, state, system, info)]
    return [{'url': SANDBOX_NN, 'facts': namenode_facts(*beans), 'lag': 0}]


def captured_versions():
    return running_versions(namenodes(), resourcemanagers())


# parse_version ------------------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('3.4.2', (3, 4, 2)), ('3.5.0-SNAPSHOT', (3, 5, 0)), ('3.10.12', (3, 10, 12)), (' 3.4.2\n', (3, 4, 2)),
    ('3.3.6.1', (3, 3, 6)),
])
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_parse_the_captured_versions():
    assert parse_version(bean(capture('NameNodeInfo', 'before', 1))['SoftwareVersion']) == (3, 4, 2)
    assert parse_version(captured_json('rm_cluster_info_upgrade_active.json')['clusterInfo']['hadoopVersion']) == (
        3, 4, 2)
    assert parse_version(bean('nn_jmx_NameNodeInfo.json')['SoftwareVersion']) == (3, 5, 0)


@pytest.mark.parametrize('text', ['3.4', 'v3.4.2', 'hadoop-3.4.2', '3.4.x', '', None, '3.4.2 3.5.0'])
def test_parse_version_refuses_anything_else(text):
    with pytest.raises(ValueError) as e:
        parse_version(text)
    assert str(e.value) == '%r is not a Hadoop version (major.minor.patch, for example 3.5.0)' % (text,)


# running_versions ---------------------------------------------------------------------

def test_running_versions_from_the_captures():
    live = json.loads(bean(capture('NameNodeInfo', 'before', 1))['LiveNodes'])
    nodes = captured_json('rm_cluster_nodes_all_states_upgrade.json')['nodes']['node']
    assert captured_versions() == {
        'namenode': dict((URLS[n], bean(capture('NameNodeInfo', 'before', n))['SoftwareVersion']) for n in (1, 2)),
        'datanode': dict((name.split(':')[0], node['version']) for name, node in live.items()),
        'resourcemanager': {
            RM1: captured_json('rm_cluster_info_upgrade_standby.json')['clusterInfo']['hadoopVersion'],
            RM2: captured_json('rm_cluster_info_upgrade_active.json')['clusterInfo']['hadoopVersion']},
        'nodemanager': dict((n['nodeHostName'], n['version']) for n in nodes if n['state'] == 'RUNNING'),
    }
    assert sorted(captured_versions()['datanode']) == sorted(captured_versions()['nodemanager']) == WORKERS
    assert set(v for by in captured_versions().values() for v in by.values()) == {RUNNING}


def test_running_versions_list_the_datanodes_of_the_active_namenode_only():
    # nn1 (the active) does not answer: nn2 alone is standby, no DataNode list is read.
    versions = running_versions(namenodes(down=(1,)), resourcemanagers())
    assert versions['namenode'] == {NN2: RUNNING}
    assert versions['datanode'] == {}
    # The ResourceManager's nodes come from the active one only (rm2).
    versions = running_versions(namenodes(), resourcemanagers(down=(2,)))
    assert versions['resourcemanager'] == {RM1: RUNNING} and versions['nodemanager'] == {}


def test_running_versions_leave_out_daemons_that_are_not_live():
    nns = namenodes(nn1={'NameNodeInfo': with_dead('before', 1, W2)})
    assert running_versions(nns, [])['datanode'] == {W1: RUNNING}
    lost = lost_resourcemanager()
    assert [(n['host'], n['state']) for n in lost['facts']['node_list']] == [(S1, 'RUNNING'), (S2, 'LOST')]
    versions = running_versions([], [lost])
    assert list(versions['nodemanager']) == [S1]
    assert versions['resourcemanager'] == {SANDBOX_RM: lost['facts']['version']} != {SANDBOX_RM: None}


# version_problems -----------------------------------------------------------------------

def members_running(versions, version):
    return '; '.join('%s %s runs %s' % (daemon, member, version)
                     for daemon in sorted(versions) for member in sorted(versions[daemon]))


@pytest.mark.parametrize('downgrade', [False, True])
def test_the_same_version_is_no_problem(downgrade):
    assert version_problems(captured_versions(), RUNNING, downgrade) == []


def test_a_newer_target_is_an_upgrade():
    assert version_problems(captured_versions(), TARGET) == []
    assert version_problems(captured_versions(), '3.4.10') == []


def test_an_older_target_is_no_upgrade():
    versions = captured_versions()
    problems = version_problems(versions, '3.4.1')
    assert problems == [
        'the target 3.4.1 is older than what the cluster runs (%s): upgrade.yml does not downgrade. To undo an '
        'upgrade that is not finalized, run downgrade.yml; a finalized upgrade cannot be undone (docs/upgrade.md).'
        % members_running(versions, RUNNING)]
    assert 'datanode %s runs 3.4.2' % W1 in problems[0] and 'namenode %s runs 3.4.2' % NN2 in problems[0]


@pytest.mark.parametrize('target, downgrade', [('4.0.0', False), ('2.10.2', False), ('2.10.2', True), ('4.0.0', True)])
def test_another_major_version(target, downgrade):
    versions = captured_versions()
    problems = version_problems(versions, target, downgrade)
    assert problems == [
        'a rolling upgrade stays within one major version, and the target %s is not the major version of: %s. '
        'Upgrade to the last release of the running major version first, or plan a full upgrade with downtime '
        '(docs/upgrade.md).' % (target, members_running(versions, RUNNING))]


def test_a_daemon_of_unknown_version():
    versions = captured_versions()
    versions['namenode'][NN2] = None
    versions['datanode'][W2] = 'unknown'
    problems = version_problems(versions, TARGET)
    assert problems == ['these daemons report a version that is not major.minor.patch: datanode %s (unknown); '
                        'namenode %s (None). Check what they run.' % (W2, NN2)]


@pytest.mark.parametrize('target', ['3.5', 'latest', ''])
def test_a_target_that_is_not_a_version(target):
    assert version_problems(captured_versions(), target) == [
        'hadoop_version: %r is not a Hadoop version (major.minor.patch, for example 3.5.0). Set it to the version to '
        'upgrade to.' % target]


def test_a_downgrade_goes_back_to_an_older_version():
    assert version_problems(captured_versions(), '3.4.1', downgrade=True) == []


def test_a_downgrade_to_a_newer_version_is_refused():
    versions = captured_versions()
    problems = version_problems(versions, TARGET, downgrade=True)
    assert problems == [
        'the target %s is newer than what the cluster runs (%s): downgrade.yml only goes back to the version an '
        'unfinalized upgrade started from; upgrade with upgrade.yml (docs/upgrade.md).'
        % (TARGET, members_running(versions, RUNNING))]


def test_a_cluster_half_way():
    """Half upgraded (derived: one DataNode and one NodeManager on the target): the upgrade goes on, and so
    does the downgrade back to the version the others run; the only one older or newer is named."""
    versions = captured_versions()
    versions['datanode'][W1] = versions['nodemanager'][W1] = TARGET
    assert version_problems(versions, TARGET) == []
    assert version_problems(versions, RUNNING, downgrade=True) == []
    problems = version_problems(versions, RUNNING)
    assert len(problems) == 1
    assert problems[0].startswith('the target 3.4.2 is older than what the cluster runs (datanode %s runs 3.5.0; '
                                  'nodemanager %s runs 3.5.0):' % (W1, W1))
    problems = version_problems(versions, TARGET, downgrade=True)
    assert len(problems) == 1
    assert 'datanode %s runs 3.4.2' % W2 in problems[0] and 'datanode %s runs' % W1 not in problems[0]


# pending --------------------------------------------------------------------------------

def test_everything_is_pending_before_the_upgrade():
    assert pending(captured_versions(), TARGET) == {
        'namenode': [NN1, NN2], 'datanode': WORKERS, 'resourcemanager': [RM1, RM2], 'nodemanager': WORKERS}


def test_nothing_is_pending_on_the_running_version():
    assert pending(captured_versions(), RUNNING) == {
        'namenode': [], 'datanode': [], 'resourcemanager': [], 'nodemanager': []}


def test_pending_leaves_out_the_upgraded_members():
    versions = captured_versions()
    versions['datanode'][W2] = versions['namenode'][NN2] = TARGET
    result = pending(versions, TARGET)
    assert result['datanode'] == [W1] and result['namenode'] == [NN1]
    assert result['nodemanager'] == WORKERS


def test_pending_during_a_downgrade():
    versions = captured_versions()
    versions['datanode'][W1] = versions['resourcemanager'][RM2] = TARGET
    result = pending(versions, RUNNING)
    assert result == {'namenode': [], 'datanode': [W1], 'resourcemanager': [RM2], 'nodemanager': []}


# precheck_problems: the healthy cluster -----------------------------------------------

def test_a_healthy_cluster_can_start_its_upgrade():
    assert check() == []


def test_after_finalize_the_active_namenode_counts():
    # The standby had not yet applied the finalize: it still lists the rolling upgrade, the active does not.
    nns = namenodes('finalized')
    assert nns[0]['facts']['rolling_upgrade'] is None and nns[1]['facts']['rolling_upgrade'] == rolling_status(
        'finalized', 2)
    assert check(nns=nns) == []
    assert [m['lag'] for m in nns] == [0, nns[0]['facts']['last_txid'] - nns[1]['facts']['last_txid']]
    assert nns[1]['lag'] > 0


# precheck_problems: the NameNodes -------------------------------------------------------

def test_a_standby_namenode_that_does_not_answer():
    assert check(nns=namenodes(down=(2,))) == [
        'the NameNodes %s do not answer: start them (site.yml) and run again.' % NN2]


def test_the_active_namenode_does_not_answer():
    assert check(nns=namenodes(down=(1,))) == [
        'the NameNodes %s do not answer: start them (site.yml) and run again.' % NN1,
        'the nameservice has 0 active NameNodes (%s standby): it needs exactly one, with the other standing by. '
        'Check the ZKFCs (failover.yml) and run again.' % NN2]


@pytest.mark.parametrize('states, count', [(('active', 'active'), 2), (('standby', 'standby'), 0)])
def test_not_exactly_one_active_namenode(states, count):
    nns = namenodes(nn1={'NameNodeStatus': with_state('before', 1, states[0])},
                    nn2={'NameNodeStatus': with_state('before', 2, states[1])})
    problems = check(nns=nns)
    assert problems[0] == (
        'the nameservice has %d active NameNodes (%s %s, %s %s): it needs exactly one, with the other standing by. '
        'Check the ZKFCs (failover.yml) and run again.' % (count, NN1, states[0], NN2, states[1]))
    assert len(problems) == 1


@pytest.mark.parametrize('behind, problem', [(10000, False), (10001, True), (250000, True)])
def test_a_standby_far_behind(behind, problem):
    active_txid = facts('before', 1)['last_txid']
    nns = namenodes(nn2={'NameNodeInfo': with_txid('before', 2, active_txid - behind)})
    assert nns[1]['lag'] == behind
    problems = check(nns=nns)
    if problem:
        assert problems == ['the standby NameNodes %s (%s) are more than 10000 transactions behind the active one: '
                            'wait until they catch up (check the JournalNodes) and run again.' % (NN2, behind)]
    else:
        assert problems == []


def test_one_namenode_needs_the_outage_accepted():
    one = namenodes()[:1]
    assert check(nns=one) == [
        'HDFS has one NameNode: upgrading it stops HDFS while it restarts (clients fail or wait). Accept the outage '
        'with -e hadoop_upgrade_accept_outage=true, or convert to HA first (convert_to_ha.yml).']
    assert check(nns=one, outage=True) == []


def test_an_upgrade_that_is_not_finalized():
    nns = namenodes(nn1={'NameNodeInfo': dict(bean(capture('NameNodeInfo', 'before', 1)), UpgradeFinalized=False)})
    assert check(nns=nns) == [
        'HDFS has an upgrade that is not finalized (hdfs namenode -upgrade): finalize it with '
        '`hdfs dfsadmin -finalizeUpgrade` or roll it back, then run again.']


def test_an_unfinalized_layout_during_the_rolling_upgrade_is_no_problem():
    # Derived: UpgradeFinalized false while the rolling upgrade is in progress.
    info = dict(bean(capture('NameNodeInfo', 'prepared', 1)), UpgradeFinalized=False)
    assert check(nns=namenodes('prepared', nn1={'NameNodeInfo': info}), marker=TARGET) == []


# precheck_problems: a rolling upgrade in progress ---------------------------------------

def test_a_rolling_upgrade_this_collection_did_not_start():
    problems = check('prepared')
    assert problems == [
        'HDFS has a rolling upgrade in progress that this collection did not start (started at %s ms since the '
        'epoch): finish or undo it first - run upgrade.yml with the hadoop_version it was started for, or '
        'downgrade.yml - and run again (docs/upgrade.md).' % rolling_status()['startTime']]


def test_a_rolling_upgrade_prepared_for_another_version():
    problems = check('prepared', marker='3.6.0')
    assert len(problems) == 1
    assert problems[0].startswith('HDFS has a rolling upgrade in progress that was prepared for 3.6.0 (started at '
                                  '%s ms since the epoch)' % rolling_status()['startTime'])


@pytest.mark.parametrize('moment', ['preparing', 'prepared'])
def test_the_rolling_upgrade_prepared_for_the_target_resumes(moment):
    assert check(moment, marker=TARGET) == []


RESUMABLE = {
    'namenode down': dict(nns=lambda m: namenodes(m, down=(2,))),
    'datanode dead': dict(nns=lambda m: namenodes(m, nn1={'NameNodeInfo': with_dead(m, 1, W2)})),
    'datanode unknown': dict(datanodes=WORKERS + [UNKNOWN]),
    'resourcemanager down': dict(rms=resourcemanagers(down=(1,))),
    'nodemanager unknown': dict(nodemanagers=WORKERS + [UNKNOWN]),
}


@pytest.mark.parametrize('situation', sorted(RESUMABLE))
def test_a_stopped_daemon_is_a_problem_before_the_upgrade_only(situation):
    def arguments(moment):
        args = dict(RESUMABLE[situation])
        if callable(args.get('nns')):
            args['nns'] = args['nns'](moment)
        return args
    assert len(check('before', marker=None, **arguments('before'))) == 1
    # The run that prepared the upgrade may have stopped it: the upgrade resumes and starts it.
    assert check('prepared', marker=TARGET, **arguments('prepared')) == []
    # Not while the rolling upgrade is not this one.
    assert len(check('prepared', marker='3.6.0', **arguments('prepared'))) == 2


def test_a_resumed_upgrade_still_needs_an_active_namenode():
    nns = namenodes('prepared', down=(1,))
    problems = check(nns=nns, marker=TARGET)
    assert problems[0] == 'the NameNodes %s do not answer: start them (site.yml) and run again.' % NN1
    assert 'the nameservice has 0 active NameNodes' in problems[1]


# precheck_problems: downgrade -------------------------------------------------------------

def test_a_downgrade_of_the_prepared_upgrade():
    assert check('prepared', target=RUNNING, marker=TARGET, downgrade=True) == []


@pytest.mark.parametrize('marker', [None, TARGET])
def test_no_downgrade_without_a_rolling_upgrade(marker):
    problems = check('before', target=RUNNING, marker=marker, downgrade=True)
    assert problems == [
        'no rolling upgrade of this collection is in progress (HDFS reports none): there is nothing to downgrade. A '
        'finalized upgrade cannot be undone; an upgrade started by hand is finished by hand (docs/upgrade.md).']


def test_no_downgrade_of_a_rolling_upgrade_without_marker():
    problems = check('prepared', target=RUNNING, marker=None, downgrade=True)
    assert problems == [
        'no rolling upgrade of this collection is in progress (no version was recorded for it): there is nothing to '
        'downgrade. A finalized upgrade cannot be undone; an upgrade started by hand is finished by hand '
        '(docs/upgrade.md).']


def test_a_downgrade_to_a_newer_version():
    problems = check('prepared', target=TARGET, marker='3.6.0', downgrade=True)
    assert len(problems) == 1
    assert problems[0].startswith('the target %s is newer than what the cluster runs (' % TARGET)


def test_a_downgrade_with_one_namenode_needs_no_outage_accepted():
    one = namenodes('prepared')[:1]
    assert check(nns=one, target=RUNNING, marker=TARGET, downgrade=True) == []
    assert check(nns=one, target=RUNNING, marker=TARGET) != []


# precheck_problems: the state of HDFS --------------------------------------------------

def test_safe_mode():
    nns = sandbox('nn_jmx_NameNodeInfo_safemode_manual.json', 'nn_jmx_FSNamesystemState_safemode_manual.json',
                  'nn_jmx_FSNamesystem_safemode_manual.json')
    assert check(nns=nns, rms=[], datanodes=[], nodemanagers=[], outage=True) == [
        'the NameNode is in safe mode (%s): leave it once the DataNodes have reported (`hdfs dfsadmin -safemode '
        'leave`) and run again.' % bean('nn_jmx_NameNodeInfo_safemode_manual.json')['Safemode'].strip()]


def test_a_corrupt_replica():
    nns = sandbox('nn_jmx_NameNodeInfo_stuck_corrupt.json', 'nn_jmx_FSNamesystemState_stuck_corrupt.json',
                  'nn_jmx_FSNamesystem_stuck_corrupt.json', 'nn_jmx_NameNodeStatus_stuck_corrupt.json')
    corrupt = bean('nn_jmx_FSNamesystem_stuck_corrupt.json')['CorruptBlocks']
    assert corrupt > 0
    assert check(nns=nns, rms=[], datanodes=[S1, S2], nodemanagers=[], outage=True) == [
        'HDFS has 0 missing blocks and %s blocks with a corrupt replica: find them with `hdfs fsck / '
        '-list-corruptfileblocks`, bring back the DataNodes that hold them or delete the files, and run again.'
        % corrupt]


def test_missing_blocks():
    system = dict(bean(capture('FSNamesystem', 'before', 1)), MissingBlocks=3)  # derived
    problems = check(nns=namenodes(nn1={'FSNamesystem': system}))
    assert len(problems) == 1 and problems[0].startswith('HDFS has 3 missing blocks and 0 blocks with a corrupt')


@pytest.mark.parametrize('info, host', [
    ('nn_jmx_NameNodeInfo_decommissioning_1.json', S1), ('nn_jmx_NameNodeInfo_decommissioning_3.json', S1),
    ('nn_jmx_NameNodeInfo_maintenance_1.json', S2), ('nn_jmx_NameNodeInfo_maintenance_3.json', S2),
])
def test_decommission_or_maintenance_in_progress(info, host):
    state = json.loads(bean(info)['LiveNodes'])[host + ':9866']['adminState']
    assert state != 'In Service'
    problems = check(nns=sandbox(info), rms=[], datanodes=[S1, S2, S3], nodemanagers=[], outage=True)
    assert problems == [
        'DataNodes are being decommissioned or are in maintenance: %s (%s). Let the decommission finish '
        '(decommission.yml) or end the maintenance (recommission.yml), then run again.' % (host, state)]


def test_a_decommissioned_datanode_is_no_problem():
    info = 'nn_jmx_NameNodeInfo_decommissioned.json'
    assert json.loads(bean(info)['LiveNodes'])[S1 + ':9866']['adminState'] == 'Decommissioned'
    assert check(nns=sandbox(info), rms=[], datanodes=[S1, S2, S3], nodemanagers=[], outage=True) == []


def test_an_expected_datanode_the_namenode_does_not_know():
    assert check(datanodes=WORKERS + [UNKNOWN]) == [
        'the DataNodes %s are not live at the NameNode: start them (site.yml) or decommission them, then run '
        'again.' % UNKNOWN]


def test_a_dead_datanode():
    nns = namenodes(nn1={'NameNodeInfo': with_dead('before', 1, W2)})
    assert [n['host'] for n in nns[0]['facts']['dead_nodes']] == [W2]
    assert check(nns=nns) == [
        'the DataNodes %s are not live at the NameNode: start them (site.yml) or decommission them, then run '
        'again.' % W2]
    # The same as captured on the sandbox.
    nns = sandbox('nn_jmx_NameNodeInfo_dead.json', 'nn_jmx_FSNamesystemState_dead.json')
    problems = check(nns=nns, rms=[], datanodes=[S1, S2], nodemanagers=[], outage=True)
    assert len(problems) == 1 and problems[0].startswith('the DataNodes %s are not live' % S2)
    # A DataNode the inventory does not expect is none of the upgrade's business.
    assert check(nns=nns, rms=[], datanodes=[S1], nodemanagers=[], outage=True) == []


# precheck_problems: YARN ------------------------------------------------------------------

def test_a_standby_resourcemanager_that_does_not_answer():
    assert check(rms=resourcemanagers(down=(1,))) == [
        'the ResourceManagers %s do not answer: start them (site.yml) and run again.' % RM1]


def test_the_active_resourcemanager_does_not_answer():
    assert check(rms=resourcemanagers(down=(2,))) == [
        'the ResourceManagers %s do not answer: start them (site.yml) and run again.' % RM2,
        'YARN has 0 active ResourceManagers: it needs exactly one. Check them (yarn rmadmin -getAllServiceState) '
        'and run again.']


def test_two_active_resourcemanagers():
    assert check(rms=both_active()) == [
        'YARN has 2 active ResourceManagers: it needs exactly one. Check them (yarn rmadmin -getAllServiceState) '
        'and run again.']


def test_an_expected_nodemanager_that_is_not_running():
    assert check(nodemanagers=WORKERS + [UNKNOWN]) == [
        'the NodeManagers %s are not RUNNING at the ResourceManager: start them (site.yml) or decommission them, '
        'then run again.' % UNKNOWN]


def test_a_lost_nodemanager():
    rms = [lost_resourcemanager()]
    assert _yarn_problems(rms, [S1, S2], False) == [
        'the NodeManagers %s are not RUNNING at the ResourceManager: start them (site.yml) or decommission them, '
        'then run again.' % S2]
    assert _yarn_problems(rms, [S1, S2], True) == []
    assert _yarn_problems(rms, [S1], False) == []


def decommissioned_resourcemanager(state='DECOMMISSIONED'):
    """The sandbox's ResourceManager with df-worker3 DECOMMISSIONED (captured); another state derived from it."""
    nodes = captured_json('rm_cluster_nodes_all_states_decommissioned.json')
    for node in nodes['nodes']['node']:
        if node['state'] == 'DECOMMISSIONED':
            node['state'] = state
    return {'url': SANDBOX_RM, 'facts': resourcemanager_facts(captured_json('rm_cluster_info.json'), {}, nodes)}


def test_a_decommissioned_nodemanager_left_in_the_inventory_is_no_problem():
    assert _yarn_problems([decommissioned_resourcemanager()], [S1, S2, S3], False) == []


def test_a_nodemanager_being_decommissioned():
    expected = ['the NodeManagers %s are being decommissioned: let the decommission finish (decommission.yml) or '
                'recommission them (recommission.yml), then run again.' % S3]
    assert _yarn_problems([decommissioned_resourcemanager('DECOMMISSIONING')], [S1, S2, S3], False) == expected
    # Resuming does not excuse a decommission in progress.
    assert _yarn_problems([decommissioned_resourcemanager('DECOMMISSIONING')], [S1, S2, S3], True) == expected


def test_no_yarn():
    assert _yarn_problems([], WORKERS, False) == []
    assert check(rms=[], nodemanagers=[]) == []


# precheck_problems: versions ----------------------------------------------------------

def test_the_version_problems_are_part_of_the_precheck():
    versions = captured_versions()
    assert check(target='3.4.1') == version_problems(versions, '3.4.1') != []
    assert check(target='4.0.0') == version_problems(versions, '4.0.0') != []


def test_the_version_problems_without_an_active_namenode():
    nns = namenodes(nn1={'NameNodeStatus': with_state('before', 1, 'standby')})
    problems = check(nns=nns, target='4.0.0')
    assert problems[0].startswith('the nameservice has 0 active NameNodes')
    assert problems[1:] == version_problems(running_versions(nns, resourcemanagers()), '4.0.0')
    assert 'namenode %s runs 3.4.2' % NN1 in problems[1]
