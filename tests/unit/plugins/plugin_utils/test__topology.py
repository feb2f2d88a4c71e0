# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.datafleet.hadoop.plugins.plugin_utils._topology import Topology, TopologyError

BASE = {
    'cluster': {
        'name': 'prod1',
        'versions': {'hadoop': '3.5.0', 'spark': '4.3.0'},
        'config': {'hdfs_site': {'dfs.replication': 3}},
        'vars': {'ansible_user': 'deploy'},
    },
    'profiles': {
        'master': {'services': ['namenode', 'resourcemanager', 'historyserver', 'spark_history']},
        'worker': {'services': ['datanode', 'nodemanager'],
                   'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 98304}},
                   'vars': {'hadoop_datanode_data_dirs': ['/data/1/dn']}},
        'edge': {'services': ['spark_client']},
    },
    'racks': {'/dc1/rack1': ['worker[01:02].example.com'], '/dc1/rack2': ['worker03.example.com']},
    'hosts': {
        'master1.example.com': {'profile': 'master'},
        'worker[01:04].example.com': {'profile': 'worker'},
        'edge1.example.com': {'profile': 'edge', 'vars': {'ansible_host': '10.0.0.9'},
                              'config': {'spark_defaults': {'spark.driver.memory': '2g'}}},
    },
}


def topo(change=None, **kwargs):
    data = copy.deepcopy(BASE)
    if change:
        change(data)
    return Topology(data, source='cluster.yml', **kwargs)


def problems(change, **kwargs):
    with pytest.raises(TopologyError) as err:
        topo(change, **kwargs)
    return err.value.problems


def one_problem(change, **kwargs):
    found = problems(change, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_groups_and_layers():
    t = topo()
    assert list(t.hosts) == ['master1.example.com'] + ['worker%02d.example.com' % i for i in range(1, 5)] + [
        'edge1.example.com']
    assert t.service_hosts['datanode'] == ['worker%02d.example.com' % i for i in range(1, 5)]
    assert t.host_groups('worker02.example.com') == ['datanodes', 'nodemanagers', 'worker']
    assert t.host_groups('master1.example.com') == [
        'namenodes', 'resourcemanagers', 'historyservers', 'spark_historyservers', 'master']
    cluster = t.cluster_vars
    assert cluster['hadoop_cluster_name'] == 'prod1'
    assert (cluster['hadoop_hdfs_ha'], cluster['hadoop_yarn_ha']) == (False, False)
    assert cluster['hadoop_version'] == '3.5.0' and cluster['spark_version'] == '4.3.0'
    assert cluster['hadoop_namenode_host'] == 'master1.example.com'
    assert cluster['hadoop_resourcemanager_host'] == 'master1.example.com'
    assert cluster['spark_history_host'] == 'master1.example.com'
    assert cluster['hadoop_hdfs_site'] == {'dfs.replication': 3}
    assert cluster['ansible_user'] == 'deploy'
    assert cluster['hadoop_datanode_group'] == 'datanodes'
    assert t.profile_vars['worker'] == {'hadoop_yarn_site_group': {'yarn.nodemanager.resource.memory-mb': 98304},
                                        'hadoop_datanode_data_dirs': ['/data/1/dn']}
    assert t.host_vars('edge1.example.com') == {
        'hadoop_profile': 'edge', 'spark_defaults_host': {'spark.driver.memory': '2g'}, 'ansible_host': '10.0.0.9'}
    assert t.host_vars('worker01.example.com') == {'hadoop_profile': 'worker', 'hadoop_rack': '/dc1/rack1'}
    assert t.host_vars('worker03.example.com')['hadoop_rack'] == '/dc1/rack2'
    assert 'hadoop_rack' not in t.host_vars('worker04.example.com')


def test_host_vars_beat_profile_and_cluster_vars_by_layer():
    def change(d):
        d['hosts']['worker09.example.com'] = {'profile': 'worker', 'services': ['spark_client'],
                                              'rack': '/dc1/rack2',
                                              'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 4096}},
                                              'vars': {'hadoop_datanode_data_dirs': ['/small']}}
    t = topo(change)
    host = t.host_vars('worker09.example.com')
    assert host['hadoop_yarn_site_host'] == {'yarn.nodemanager.resource.memory-mb': 4096}
    assert host['hadoop_datanode_data_dirs'] == ['/small']
    assert host['hadoop_rack'] == '/dc1/rack2'
    assert t.host_groups('worker09.example.com') == ['datanodes', 'nodemanagers', 'spark_clients', 'worker']


def test_zoo_cfg_settings_become_the_zookeeper_layers():
    def change(d):
        d['cluster']['config']['zoo_cfg'] = {'tickTime': 3000}
        d['hosts']['worker09.example.com'] = {'profile': 'worker', 'config': {'zoo_cfg': {'maxClientCnxns': 100}}}
    t = topo(change)
    assert t.cluster_vars['zookeeper_config'] == {'tickTime': 3000}
    assert t.host_vars('worker09.example.com')['zookeeper_config_host'] == {'maxClientCnxns': 100}


def test_entry_without_profile_adds_settings_to_listed_hosts():
    def change(d):
        d['hosts']['worker0[3:4].example.com'] = {
            'services': ['spark_client'], 'rack': '/dc1/rack2',
            'config': {'yarn_site': {'yarn.nodemanager.resource.memory-mb': 4096}},
            'vars': {'hadoop_datanode_data_dirs': ['/small']}}
        d['hosts']['worker04.example.com'] = {'config': {'yarn_site': {'yarn.nodemanager.vmem-check-enabled': False}}}
    t = topo(change)
    assert list(t.hosts).count('worker04.example.com') == 1
    assert t.host_vars('worker04.example.com') == {
        'hadoop_profile': 'worker', 'hadoop_rack': '/dc1/rack2',
        'hadoop_yarn_site_host': {'yarn.nodemanager.resource.memory-mb': 4096,
                                  'yarn.nodemanager.vmem-check-enabled': False},
        'hadoop_datanode_data_dirs': ['/small']}
    assert t.service_hosts['spark_client'] == ['edge1.example.com', 'worker03.example.com', 'worker04.example.com']
    assert t.host_groups('worker01.example.com') == ['datanodes', 'nodemanagers', 'worker']


def test_settings_entry_may_come_before_the_range():
    def change(d):
        d['hosts'] = dict([('worker02.example.com', {'vars': {'hadoop_datanode_data_dirs': ['/x']}})]
                          + list(d['hosts'].items()))
    assert topo(change).host_vars('worker02.example.com')['hadoop_datanode_data_dirs'] == ['/x']


def test_override_rack_conflict():
    def change(d):
        d['hosts']['worker01.example.com'] = {'rack': '/dc1/rack9'}
    assert one_problem(change) == ("host 'worker01.example.com' is in two racks: /dc1/rack9 and /dc1/rack1; a host "
                                   "belongs to one rack")


def test_group_names_and_prefix():
    t = topo(group_names={'datanode': 'hdfs_workers'}, cluster_group='prod', profile_group_prefix='profile_')
    assert t.host_groups('worker01.example.com') == ['hdfs_workers', 'nodemanagers', 'profile_worker']
    assert t.cluster_vars['hadoop_datanode_group'] == 'hdfs_workers'
    assert t.cluster_vars['hadoop_cluster_group'] == 'prod'
    renamed = topo(group_names={'zookeeper': 'ensemble'})
    assert renamed.cluster_vars['hadoop_zookeeper_group'] == 'ensemble'


def test_endpoints_not_set_for_missing_service_and_user_vars_win():
    def change(d):
        d['profiles']['master']['services'] = ['namenode', 'resourcemanager']
        d['cluster']['vars']['hadoop_namenode_host'] = 'nn.example.com'
    t = topo(change)
    assert 'hadoop_historyserver_host' not in t.cluster_vars
    assert t.cluster_vars['hadoop_namenode_host'] == 'nn.example.com'


def ha_cluster(d, nns=2, jns=3, zks=3, yarn=False):
    d['cluster']['high_availability'] = {'hdfs': True, 'yarn': yarn}
    d['profiles']['master']['services'] = ['namenode'] + (['resourcemanager'] if yarn else [])
    del d['hosts']['master1.example.com']
    d['hosts']['master[1:%d].example.com' % nns] = {'profile': 'master'}
    if not yarn:
        d['hosts']['rm1.example.com'] = {'profile': 'edge', 'services': ['resourcemanager']}
    d['profiles']['quorum'] = {'services': []}
    for i in range(1, max(jns, zks) + 1):
        services = (['journalnode'] if i <= jns else []) + (['zookeeper'] if i <= zks else [])
        d['hosts']['quorum%d.example.com' % i] = {'profile': 'quorum', 'services': services}


def test_ha_ids_come_from_the_host_names():
    t = topo(lambda d: ha_cluster(d, yarn=True))
    assert t.host_vars('master1.example.com')['hdfs_namenode_id'] == 'nn1'
    assert t.host_vars('master2.example.com')['hdfs_namenode_id'] == 'nn2'
    assert t.host_vars('master2.example.com')['yarn_resourcemanager_id'] == 'rm2'
    assert [t.host_vars('quorum%d.example.com' % i)['zookeeper_myid'] for i in (1, 2, 3)] == [1, 2, 3]
    assert t.host_groups('quorum1.example.com') == ['journalnodes', 'zookeepers', 'quorum']
    assert (t.cluster_vars['hadoop_hdfs_ha'], t.cluster_vars['hadoop_yarn_ha']) == (True, True)


def test_zookeeper_ids_collide_without_explicit_id():
    def change(d):
        ha_cluster(d)
        d['hosts']['quorum3.example.com']['services'] = ['journalnode']
        d['hosts']['zk1.example.com'] = {'profile': 'quorum', 'services': ['zookeeper']}
    message = one_problem(change)
    assert message == ("hosts 'quorum1.example.com' and 'zk1.example.com' would both get ZooKeeper server id 1; "
                       "set a distinct id: on one of them")


def test_explicit_ids_stay_when_hosts_are_added():
    def change(d):
        ha_cluster(d, zks=0)
        d['hosts']['zka.example.com'] = {'profile': 'quorum', 'services': ['zookeeper'], 'id': 7}
        d['hosts']['zkb.example.com'] = {'profile': 'quorum', 'services': ['zookeeper'], 'id': 2}
        d['hosts']['zk5.example.com'] = {'profile': 'quorum', 'services': ['zookeeper']}
    t = topo(change)
    ids = dict((h, t.host_vars(h)['zookeeper_myid']) for h in t.service_hosts['zookeeper'])
    assert ids == {'zka.example.com': 7, 'zkb.example.com': 2, 'zk5.example.com': 5}

    def change_more(d):
        change(d)
        d['hosts']['zk[3:4].example.com'] = {'profile': 'quorum', 'services': ['zookeeper']}
    bigger = topo(change_more)
    for host, number in ids.items():
        assert bigger.host_vars(host)['zookeeper_myid'] == number
    assert bigger.host_vars('zk3.example.com')['zookeeper_myid'] == 3


def test_no_ids_without_ha():
    t = topo()
    assert 'hdfs_namenode_id' not in t.host_vars('master1.example.com')


def test_zookeeper_host_without_number_needs_an_id():
    def change(d):
        d['hosts']['edge.example.com'] = {'profile': 'edge', 'services': ['zookeeper']}
    message = one_problem(change)
    assert message == ("host 'edge.example.com': the ZooKeeper server needs an id from 1 to 255 and the host name "
                       "has no such number; set id: on the host's entry")


def test_allowed_colocation_and_single_host_cluster():
    def colocated(d):
        d['profiles']['master']['services'].append('datanode')
    assert 'colocation' in one_problem(colocated)

    def allowed(d):
        colocated(d)
        d['cluster']['allow_colocation'] = [['datanode', 'namenode']]
    assert topo(allowed).host_groups('master1.example.com')[:2] == ['namenodes', 'resourcemanagers']

    def single(d):
        d['profiles']['all'] = {'services': ['namenode', 'datanode', 'resourcemanager', 'nodemanager']}
        d['hosts'] = {'solo.example.com': {'profile': 'all'}}
        d['racks'] = {}
        d['cluster']['config']['hdfs_site']['dfs.replication'] = 1
    assert list(topo(single).hosts) == ['solo.example.com']


# Every validation rule: the change to the base topology and the message.
CASES = [
    ('unknown top key', lambda d: d.update(clusters={}), None,
     "the topology: unknown key 'clusters' (did you mean 'cluster'?); known keys: cluster, profiles, racks, hosts"),
    ('cluster missing', lambda d: d.pop('cluster'), None, 'cluster is required: give at least cluster.name'),
    ('cluster not a mapping', lambda d: d.update(cluster=['prod']), None, 'cluster must be a mapping, not list'),
    ('name missing', lambda d: d['cluster'].pop('name'), None, 'cluster: name is required'),
    ('bad name', lambda d: d['cluster'].update(name='prod 1'), None,
     "cluster.name 'prod 1' must be letters, digits, '.', '_' or '-'"),
    ('cluster typo', lambda d: d['cluster'].update(verisons={}), None,
     "cluster: unknown key 'verisons' (did you mean 'versions'?); known keys: name, versions, high_availability, "
     "config, vars, allow_colocation"),
    ('version float', lambda d: d['cluster']['versions'].update(hadoop=3.5), None,
     'cluster.versions.hadoop: 3.5 must be a quoted string like "3.5.0" (YAML reads an unquoted 3.5 as a number)'),
    ('version text', lambda d: d['cluster']['versions'].update(spark='latest'), None,
     "cluster.versions.spark: 'latest' is not a version like 3.5.0"),
    ('unknown product', lambda d: d['cluster']['versions'].update(hbase='2.6.0'), None,
     "cluster.versions: unknown key 'hbase'; known keys: hadoop, spark, zookeeper"),
    ('ha typo', lambda d: d['cluster'].update(high_availability={'hfds': True}), None,
     "cluster.high_availability: unknown key 'hfds' (did you mean 'hdfs'?); known keys: hdfs, yarn"),
    ('ha not bool', lambda d: d['cluster'].update(high_availability={'hdfs': 'yes'}), None,
     "cluster.high_availability.hdfs must be true or false, not 'yes'"),
    ('config file typo', lambda d: d['cluster']['config'].update({'hdfs-site': {}}), None,
     "cluster config: unknown key 'hdfs-site' (did you mean 'hdfs_site'?); known keys: core_site, hdfs_site, "
     "yarn_site, mapred_site, capacity_scheduler, spark_defaults, zoo_cfg"),
    ('config not mapping', lambda d: d['cluster']['config'].update(yarn_site=['a']), None,
     'cluster config.yarn_site must be a mapping of property names to values'),
    ('config nested', lambda d: d['cluster']['config'].update(yarn_site={'yarn.x': {'a': 1}}), None,
     'cluster config.yarn_site: yarn.x must be a single value (string, number or boolean), not a mapping'),
    ('bad var name', lambda d: d['cluster']['vars'].update({'ansible-user': 'x'}), None,
     "cluster vars: 'ansible-user' is not a valid variable name (letters, digits and _, not starting with a "
     "digit)"),
    ('vars not mapping', lambda d: d['cluster'].update(vars=['x']), None,
     'cluster vars must be a mapping of variable names to values'),
    ('colocation pair', lambda d: d['cluster'].update(allow_colocation=[['namenode']]), None,
     "cluster.allow_colocation: each entry must be a pair of services, like [namenode, datanode]; got ['namenode']"),
    ('colocation service', lambda d: d['cluster'].update(allow_colocation=[['namenode', 'datanod']]), None,
     "cluster.allow_colocation: unknown service 'datanod' (did you mean 'datanode'?); services are: namenode, "
     "datanode, journalnode, resourcemanager, nodemanager, historyserver, spark_history, spark_client, zookeeper"),
    ('profiles missing', lambda d: d.pop('profiles'), 'x',
     'profiles is required: define at least one profile with its services, e.g. worker: {services: [datanode, '
     'nodemanager]}'),
    ('profile typo', lambda d: d['profiles']['worker'].update(service=['datanode']), None,
     "profile 'worker': unknown key 'service' (did you mean 'services'?); known keys: services, config, vars, "
     "description"),
    ('profile without services', lambda d: d['profiles'].update(spare={}), None,
     "profile 'spare': services is required, e.g. services: [datanode, nodemanager]"),
    ('unknown service', lambda d: d['profiles']['edge'].update(services=['spark-client']), 'x',
     "profile 'edge': unknown service 'spark-client' (did you mean 'spark_client'?); services are: namenode, "
     "datanode, journalnode, resourcemanager, nodemanager, historyserver, spark_history, spark_client, zookeeper"),
    ('profile name clash', lambda d: d['profiles'].update(datanodes={'services': ['spark_client']}), None,
     "profile 'datanodes': its group 'datanodes' is also a service or cluster group; rename the profile or set "
     "profile_group_prefix"),
    ('profile bad name', lambda d: d['profiles'].update({'edge-2': {'services': ['spark_client']}}), None,
     "profile 'edge-2': a profile name becomes a group name: letters, digits and _ only"),
    ('hosts missing', lambda d: d.pop('hosts'), 'x',
     "hosts is required: map host names or patterns to a profile, e.g. 'worker[01:40].example.com': "
     "{profile: worker}"),
    ('bad range', lambda d: d['hosts'].update({'worker[05:7].example.com': {'profile': 'worker'}}), None,
     "host pattern 'worker[05:7].example.com': range [05:7] has a zero-padded start of width 2 but an end of width "
     "1; give both with the same width"),
    ('duplicate host', lambda d: d['hosts'].update({'worker03.example.com': {'profile': 'worker'}}), None,
     "host 'worker03.example.com' is listed twice with a profile: by 'worker[01:04].example.com' and by "
     "'worker03.example.com'; give its profile once (an entry without a profile can add per-host settings)"),
    ('host without profile', lambda d: d['hosts'].update({'spare1.example.com': {'rack': '/dc1/rack1'}}), None,
     "host 'spare1.example.com': profile is required (an entry without a profile only adds settings to hosts "
     "that another entry gives a profile; spare1.example.com has none)"),
    ('unknown profile', lambda d: d['hosts'].update({'spare1.example.com': {'profile': 'wroker'}}), None,
     "host 'spare1.example.com': unknown profile 'wroker' (did you mean 'worker'?); profiles are: master, worker, "
     "edge"),
    ('host typo', lambda d: d['hosts']['edge1.example.com'].update(rakc='/dc1/rack1'), None,
     "host 'edge1.example.com': unknown key 'rakc' (did you mean 'rack'?); known keys: profile, services, rack, id, "
     "config, vars"),
    ('host unknown service', lambda d: d['hosts']['edge1.example.com'].update(services=['zookeper']), None,
     "host 'edge1.example.com': unknown service 'zookeper' (did you mean 'zookeeper'?); services are: namenode, "
     "datanode, journalnode, resourcemanager, nodemanager, historyserver, spark_history, spark_client, zookeeper"),
    ('bad rack', lambda d: d['hosts']['edge1.example.com'].update(rack='rack1'), None,
     "host 'edge1.example.com': rack 'rack1' must be a path like /dc1/rack1"),
    ('bad id', lambda d: d['hosts']['edge1.example.com'].update(id=300), None,
     "host 'edge1.example.com': id 300 must be a whole number from 1 to 255"),
    ('id on pattern', lambda d: d['hosts']['worker[01:04].example.com'].update(id=1), None,
     "host 'worker[01:04].example.com': id 1 is given to a pattern of 4 hosts; ids are per host, give each host "
     "its own entry, or leave id out to take the number from the host name"),
    ('rack path', lambda d: d['racks'].update({'rack3': ['edge1.example.com']}), None,
     "racks 'rack3': a rack must be a path like /dc1/rack1"),
    ('rack unknown host', lambda d: d['racks']['/dc1/rack2'].append('worker09.example.com'), None,
     "racks '/dc1/rack2': host 'worker09.example.com' is not in hosts; add it to hosts or remove it from the rack"),
    ('two racks', lambda d: d['racks']['/dc1/rack2'].append('worker01.example.com'), None,
     "host 'worker01.example.com' is in two racks: /dc1/rack1 and /dc1/rack2; a host belongs to one rack"),
    ('rack bad range', lambda d: d['racks'].update({'/dc1/rack3': ['worker[1:x]']}), None,
     "racks '/dc1/rack3': host pattern 'worker[1:x]': range [1:x] mixes digits and letters; write [01:40] or [a:f]"),
    ('no namenode', lambda d: d['profiles']['master'].update(services=['resourcemanager']), None,
     'no host runs a NameNode: add namenode to the services of a profile (e.g. master)'),
    ('no datanode', lambda d: d['profiles']['worker'].update(services=['nodemanager']), None,
     'no host runs a DataNode: add datanode to the services of a profile (e.g. worker)'),
    ('replication', lambda d: d['cluster']['config']['hdfs_site'].update({'dfs.replication': 5}), None,
     'dfs.replication is 5 but only 4 hosts run a DataNode: every block would stay under-replicated; add '
     'DataNodes or set config.hdfs_site dfs.replication to at most 4'),
    ('replication default', lambda d: (d['cluster']['config'].pop('hdfs_site'),
                                       d['hosts'].update({'worker[01:02].example.com': {'profile': 'worker'}}),
                                       d['hosts'].pop('worker[01:04].example.com'),
                                       d['racks'].pop('/dc1/rack2')), None,
     'dfs.replication is 3 but only 2 hosts run a DataNode: every block would stay under-replicated; add '
     'DataNodes or set config.hdfs_site dfs.replication to at most 2'),
    ('replication on namenode host', lambda d: d['hosts']['master1.example.com'].update(
        config={'hdfs_site': {'dfs.replication': 6}}), None,
     'dfs.replication is 6 but only 4 hosts run a DataNode: every block would stay under-replicated; add '
     'DataNodes or set config.hdfs_site dfs.replication to at most 4'),
    ('replication text', lambda d: d['cluster']['config']['hdfs_site'].update({'dfs.replication': 'three'}), None,
     "config.hdfs_site dfs.replication 'three' must be a whole number"),
    ('two namenodes no ha', lambda d: d['hosts'].update({'master2.example.com': {'profile': 'master'}}), 'x',
     '2 hosts run a NameNode (master1.example.com, master2.example.com) but high_availability.hdfs is not true; '
     'keep one NameNode or set cluster.high_availability.hdfs: true'),
    ('journalnode no ha', lambda d: d['hosts']['edge1.example.com'].update(services=['journalnode']), None,
     'JournalNodes (edge1.example.com) serve only an HA NameNode pair; set cluster.high_availability.hdfs: true '
     'or remove the journalnode service'),
    ('ha one namenode', lambda d: ha_cluster(d, nns=1), 'x',
     'high_availability.hdfs needs at least 2 NameNodes, found 1; give the namenode service to a second master'),
    ('ha even journalnodes', lambda d: ha_cluster(d, jns=4), None,
     'high_availability.hdfs needs an odd number of JournalNodes, at least 3, found 4; give the journalnode '
     'service to 3 or 5 hosts'),
    ('ha two zookeepers', lambda d: ha_cluster(d, zks=2), None,
     'high_availability.hdfs needs an odd number of ZooKeeper servers (automatic failover), at least 3, found 2; '
     'give the zookeeper service to 3 hosts'),
    ('yarn ha one rm', lambda d: d['cluster'].update(high_availability={'yarn': True}), 'x',
     'high_availability.yarn needs at least 2 ResourceManagers, found 1; give the resourcemanager service to a '
     'second master'),
    ('yarn ha no zookeeper', lambda d: (d['cluster'].update(high_availability={'yarn': True}),
                                        d['hosts'].update({'master2.example.com': {
                                            'profile': 'edge', 'services': ['resourcemanager']}})), None,
     'high_availability.yarn needs an odd number of ZooKeeper servers (leader election and state store), at least '
     '3, found 0; give the zookeeper service to 3 hosts'),
    ('two rms no ha', lambda d: d['hosts']['edge1.example.com'].update(services=['resourcemanager']), None,
     '2 hosts run a ResourceManager (master1.example.com, edge1.example.com) but high_availability.yarn is not '
     'true; keep one or set cluster.high_availability.yarn: true'),
    ('even zookeepers', lambda d: (d['profiles'].update(quorum={'services': ['zookeeper']}),
                                   d['hosts'].update({'zk[1:2].example.com': {'profile': 'quorum'}})), None,
     '2 ZooKeeper servers: an even ensemble survives no more failures than one server less; use 3 hosts'),
    ('nodemanagers without rm', lambda d: d['profiles']['master'].update(services=['namenode']), None,
     'NodeManagers (worker01.example.com, worker02.example.com, worker03.example.com, worker04.example.com) '
     'without a ResourceManager: give the resourcemanager service to a master'),
    ('rm without nodemanagers', lambda d: d['profiles']['worker'].update(services=['datanode']), None,
     'a ResourceManager without NodeManagers: give the nodemanager service to the workers'),
    ('two history servers', lambda d: d['hosts']['edge1.example.com'].update(services=['historyserver']), None,
     '2 hosts run the MapReduce history server (master1.example.com, edge1.example.com); it runs on one host'),
    ('namenode with datanode', lambda d: d['hosts']['master1.example.com'].update(services=['datanode']), None,
     "master1.example.com: NameNode and DataNode must not share a host: a DataNode's disk and network load slows "
     "the NameNode's RPCs for the whole cluster, and decommissioning the DataNode would take the NameNode host "
     "out. Move one of them to another profile, or accept it with cluster.allow_colocation: [[namenode, "
     "datanode]]"),
    ('rm with nodemanager', lambda d: d['profiles']['master']['services'].append('nodemanager'), None,
     "master1.example.com: ResourceManager and NodeManager must not share a host: containers on the host compete "
     "with the ResourceManager for memory and CPU, and decommissioning the NodeManager would take the "
     "ResourceManager host out. Move one of them to another profile, or accept it with "
     "cluster.allow_colocation: [[resourcemanager, nodemanager]]"),
    ('zookeeper on workers', lambda d: d['profiles']['worker']['services'].append('zookeeper'), 'x',
     "worker01.example.com, worker02.example.com, worker03.example.com, worker04.example.com: ZooKeeper server and "
     "DataNode must not share a host: ZooKeeper syncs its transaction log on every write; DataNode disk load "
     "delays it into session expiries and failovers. Move one of them to another profile, or accept it with "
     "cluster.allow_colocation: [[zookeeper, datanode]]"),
    ('profiles not mapping', lambda d: d.update(profiles=['master']), 'x',
     'profiles must be a mapping of profile names to profiles'),
    ('hosts not mapping', lambda d: d.update(hosts=['master1.example.com']), 'x',
     'hosts must be a mapping of host names or patterns to host settings'),
    ('racks not mapping', lambda d: d.update(racks=['/dc1/rack1']), None,
     'racks must be a mapping of rack paths to lists of host names or patterns'),
    ('rack members not a list', lambda d: d['racks'].update({'/dc1/rack3': {'edge1.example.com': 1}}), None,
     "racks '/dc1/rack3': give a list of host names or patterns"),
    ('host entry not mapping', lambda d: d['hosts'].update({'edge1.example.com': 'edge'}), 'x',
     "host 'edge1.example.com' must be a mapping, not str"),
    ('replication zero', lambda d: d['cluster']['config']['hdfs_site'].update({'dfs.replication': 0}), None,
     'config.hdfs_site dfs.replication must be at least 1, not 0'),
    ('two spark history servers', lambda d: d['hosts']['edge1.example.com'].update(services=['spark_history']),
     None, '2 hosts run the Spark history server (master1.example.com, edge1.example.com); it runs on one host'),
    ('profile config typo', lambda d: d['profiles']['worker']['config'].update(yarnsite={}), None,
     "profile 'worker' config: unknown key 'yarnsite' (did you mean 'yarn_site'?); known keys: core_site, "
     "hdfs_site, yarn_site, mapred_site, capacity_scheduler, spark_defaults, zoo_cfg"),
    ('host vars bad name', lambda d: d['hosts']['edge1.example.com']['vars'].update({'2x': 1}), None,
     "host 'edge1.example.com' vars: '2x' is not a valid variable name (letters, digits and _, not starting with "
     "a digit)"),
    ('group_names typo', None, {'group_names': {'datanodes': 'dn'}},
     "group_names: unknown service 'datanodes' (did you mean 'datanode'?); services are: namenode, datanode, "
     "journalnode, resourcemanager, nodemanager, historyserver, spark_history, spark_client, zookeeper"),
    ('group_names clash', None, {'group_names': {'datanode': 'nodemanagers'}},
     "group_names: services 'datanode' and 'nodemanager' both use group 'nodemanagers'; give each its own group"),
    ('group_names bad', None, {'group_names': {'datanode': 'data nodes'}},
     "group_names.datanode: 'data nodes' is not a valid group name"),
    ('cluster_group bad', None, {'cluster_group': 'my-cluster'},
     "cluster_group: 'my-cluster' is not a valid group name"),
]


@pytest.mark.parametrize('name, change, extra, message', CASES, ids=[c[0] for c in CASES])
def test_each_problem_has_its_message(name, change, extra, message):
    kwargs = extra if isinstance(extra, dict) else {}
    found = problems(change, **kwargs)
    assert message in found, found
    if extra is None:
        # Nothing else is reported for a single mistake.
        assert found == [message]


def test_all_problems_reported_at_once():
    def change(d):
        d['cluster']['verisons'] = {}
        d['hosts']['worker[1:3'] = {'profile': 'worker'}
        d['hosts']['edge1.example.com']['rack'] = 'x'
    with pytest.raises(TopologyError) as err:
        topo(change)
    text = str(err.value)
    assert text.startswith('cluster.yml: 3 problems in the cluster topology:\n  - ')
    assert "unknown key 'verisons'" in text and "worker[1:3" in text and "rack 'x'" in text


def test_colocation_message_shortens_long_host_lists():
    def change(d):
        d['hosts'].pop('worker[01:04].example.com')
        d['racks'] = {}
        d['hosts']['worker[01:12].example.com'] = {'profile': 'worker', 'services': ['namenode']}
        d['cluster']['high_availability'] = {'hdfs': True}
        d['cluster']['allow_colocation'] = [['namenode', 'datanode']]
    found = problems(change)
    assert any(p.startswith('high_availability.hdfs needs an odd number of JournalNodes') for p in found)
    assert '13 hosts run' not in ' '.join(found)


# Host names Hadoop cannot use: the host entry added (profile edge) and the one message.
NO_HOST = "Java's URI parser finds no host in it, so Hadoop cannot address the node"
LOWER = ('host names must be lower case (the NameNode matches DataNodes by their lower-case reverse-DNS name, and '
         'Kerberos principals are lower case)')
LONG_LABEL = 'x' * 64
LONG_NAME = '.'.join(['a' * 63] * 3 + ['b' * 62])
BAD_NAMES = [
    ('underscore', 'data_node1.example.com',
     "host 'data_node1.example.com': '_' is not allowed in a host name (%s); use '-' instead" % NO_HOST),
    ('upper case', 'DataNode2.Example.com',
     "host 'DataNode2.Example.com': %s; write it as 'datanode2.example.com'" % LOWER),
    ('range with upper case', 'Worker[01:40].example.com',
     "pattern 'Worker[01:40].example.com' makes 40 host names with upper case letters; %s; write it as "
     "'worker[01:40].example.com'" % LOWER),
    ('range with underscore', 'spark_edge[a:c].example.com',
     "pattern 'spark_edge[a:c].example.com' makes 3 host names with '_'; '_' is not allowed in a host name (%s); "
     "use '-' instead" % NO_HOST),
    ('label starts with dash', '-bad.example.com',
     "host '-bad.example.com': label '-bad' starts or ends with '-', which a DNS host name does not allow; move the "
     "'-' inside the label or drop it"),
    ('label ends with dash', 'edge2.bad-.com',
     "host 'edge2.bad-.com': label 'bad-' starts or ends with '-', which a DNS host name does not allow; move the "
     "'-' inside the label or drop it"),
    ('range of dashed labels', 'edge[1:3]-.example.com',
     "pattern 'edge[1:3]-.example.com' makes 3 host names with a label that starts or ends with '-'; a DNS host "
     "name does not allow that; move the '-' inside the label or drop it"),
    ('empty label', 'a..b',
     "host 'a..b': a host name cannot have an empty label (a '.' at the start or the end, or two in a row); remove "
     "the extra '.'"),
    ('trailing dot', 'edge2.example.com.',
     "host 'edge2.example.com.': a host name cannot have an empty label (a '.' at the start or the end, or two in a "
     "row); remove the extra '.'"),
    ('64-character label', LONG_LABEL + '.example.com',
     "host '%s.example.com': label '%s' is 64 characters long and a DNS label (the text between dots) has at most "
     "63; use a shorter name" % (LONG_LABEL, LONG_LABEL)),
    ('254-character name', LONG_NAME,
     "host '%s': the name is 254 characters long and a DNS host name has at most 253; use a shorter name"
     % LONG_NAME),
    ('other characters', 'edge@2!.example.com',
     "host 'edge@2!.example.com': '!', '@' are not allowed in a host name (a DNS host name has only letters, "
     "digits, '-' and '.'); use the host's DNS name"),
    ('ipv6 address', 'fe80::1',
     "host 'fe80::1': ':' is not allowed in a host name (a DNS host name has only letters, digits, '-' and '.'); "
     "use the host's DNS name"),
    ('not an ipv4 address', '10.0.0.256',
     "host '10.0.0.256': not an IPv4 address (four numbers from 0 to 255), and read as a name its last label starts "
     "with a digit, which Java's URI parser does not take as a host, so Hadoop cannot address the node; correct "
     "the address"),
    ('range partly beyond ipv4', '10.0.0.[250:260]',
     "pattern '10.0.0.[250:260]' makes 5 of its 11 host names (10.0.0.256, 10.0.0.257, 10.0.0.258 and 2 more) that "
     "are not IPv4 addresses (four numbers from 0 to 255); read as names, their last label starts with a digit, "
     "which Java's URI parser does not take as a host, so Hadoop cannot address the nodes; correct the range"),
    ('last label starts with a digit', 'edge2.example.2com',
     "host 'edge2.example.2com': the last label of a host name must start with a letter unless the name is an IPv4 "
     "address (Java's URI parser finds no host in such a name, so Hadoop cannot address the node); use the host's "
     "DNS name or its IPv4 address"),
]


@pytest.mark.parametrize('pattern, message', [c[1:] for c in BAD_NAMES], ids=[c[0] for c in BAD_NAMES])
def test_bad_host_names_are_refused_once(pattern, message):
    assert problems(lambda d: d['hosts'].update({pattern: {'profile': 'edge'}})) == [message]


GOOD_NAMES = [
    ('ipv4 address', '10.0.0.9', ['10.0.0.9']),
    ('ipv4 range', '192.168.1.[254:255]', ['192.168.1.254', '192.168.1.255']),
    ('dns name', 'edge2.dc1.example.com', ['edge2.dc1.example.com']),
    ('single label', 'edge2', ['edge2']),
    ('digits and dashes', '10-0-0-9.1dc.example.com', ['10-0-0-9.1dc.example.com']),
    ('63-character label and 253-character name', '.'.join(['a' * 63] * 3 + ['b' * 61]),
     ['.'.join(['a' * 63] * 3 + ['b' * 61])]),
    ('letter range', 'edge-[a:c].example.com', ['edge-a.example.com', 'edge-b.example.com', 'edge-c.example.com']),
]


@pytest.mark.parametrize('pattern, names', [c[1:] for c in GOOD_NAMES], ids=[c[0] for c in GOOD_NAMES])
def test_good_host_names_are_accepted(pattern, names):
    t = topo(lambda d: d['hosts'].update({pattern: {'profile': 'edge'}}))
    assert [name for name in t.hosts if name in names] == names
    assert all(t.host_groups(name) == ['spark_clients', 'edge'] for name in names)


def test_a_name_with_two_problems_gets_both():
    found = problems(lambda d: d['hosts'].update({'Data_Node1.example.com': {'profile': 'edge'}}))
    assert found == [
        "host 'Data_Node1.example.com': '_' is not allowed in a host name (%s); use '-' instead" % NO_HOST,
        "host 'Data_Node1.example.com': %s; write it as 'data_node1.example.com'" % LOWER]


def test_bad_name_in_hosts_and_racks_is_reported_once():
    def change(d):
        d['hosts']['Worker[01:04].example.com'] = d['hosts'].pop('worker[01:04].example.com')
        d['racks'] = {'/dc1/rack1': ['Worker[01:02].example.com'], '/dc1/rack2': ['Worker03.example.com']}
    assert problems(change) == [
        "pattern 'Worker[01:04].example.com' makes 4 host names with upper case letters; %s; write it as "
        "'worker[01:04].example.com'" % LOWER]


def test_bad_name_only_in_racks_is_reported_for_its_spelling_not_as_missing():
    def change(d):
        d['racks']['/dc1/rack2'] = ['Worker03.example.com', 'worker04.example.com']
        d['racks']['/dc1/rack3'] = ['Edge[1:2].example.com']
    assert problems(change) == [
        "racks '/dc1/rack2': host 'Worker03.example.com': %s; write it as 'worker03.example.com'" % LOWER,
        "racks '/dc1/rack3': pattern 'Edge[1:2].example.com' makes 2 host names with upper case letters; %s; write "
        "it as 'edge[1:2].example.com'" % LOWER]


def test_bad_name_in_a_settings_entry_is_reported_for_its_spelling_not_as_without_profile():
    def change(d):
        d['hosts']['Worker03.example.com'] = {'vars': {'hadoop_datanode_data_dirs': ['/x']}}
    assert problems(change) == ["host 'Worker03.example.com': %s; write it as 'worker03.example.com'" % LOWER]


def test_the_masters_are_cluster_variables_in_the_groups_order():
    def change(d):
        ha_cluster(d, yarn=True)
        d['profiles']['quorum']['vars'] = {'zookeeper_client_port': 2281}
        d['hosts']['quorum3.example.com']['vars'] = {'zookeeper_client_port': 2381}
    t = topo(change)
    cluster = t.cluster_vars
    assert list(cluster['hadoop_namenode_ids'].items()) == [('master1.example.com', 'nn1'), ('master2.example.com', 'nn2')]
    assert list(cluster['hadoop_namenode_ids']) == t.service_hosts['namenode']
    # Ansible stores no OrderedDict in a variable ("Type 'OrderedDict' is unsupported for variable storage").
    assert [m.__class__.__name__ for m in (cluster['hadoop_namenode_ids'], cluster['hadoop_resourcemanager_ids'])] == [
        'dict', 'dict']
    assert list(cluster['hadoop_resourcemanager_ids'].items()) == [
        ('master1.example.com', 'rm1'), ('master2.example.com', 'rm2')]
    assert cluster['hadoop_journalnode_hosts'] == t.service_hosts['journalnode'] == [
        'quorum1.example.com', 'quorum2.example.com', 'quorum3.example.com']
    assert cluster['hadoop_zookeeper_quorum'] == (
        'quorum1.example.com:2281,quorum2.example.com:2281,quorum3.example.com:2381')


def test_without_ha_only_the_single_masters_and_no_quorum():
    cluster = topo().cluster_vars
    assert not [key for key in ('hadoop_namenode_ids', 'hadoop_resourcemanager_ids', 'hadoop_journalnode_hosts',
                                'hadoop_zookeeper_quorum') if key in cluster]
    assert cluster['hadoop_namenode_host'] == 'master1.example.com'


def test_a_quorum_set_in_the_cluster_vars_wins():
    def change(d):
        ha_cluster(d)
        d['cluster']['vars']['hadoop_zookeeper_quorum'] = 'zk.example.com:2181'
    assert topo(change).cluster_vars['hadoop_zookeeper_quorum'] == 'zk.example.com:2181'
