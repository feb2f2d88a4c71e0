# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.datafleet.hadoop.plugins.filter import hadoop as f

DIGEST = 'a' * 64 + 'b' * 64


def test_systemd_exec_quotes_and_escapes():
    line = f.systemd_exec(['/usr/bin/java', '-Dx=a b', '-cp', '/c:/h/*', '100%', '$HOME'])
    assert line == '/usr/bin/java "-Dx=a b" -cp /c:/h/* 100%% "$$HOME"'


@pytest.mark.parametrize('text', [
    '%s  hadoop-3.5.0.tar.gz\n' % DIGEST,
    'SHA512 (hadoop-3.5.0.tar.gz) = %s\n' % DIGEST,
    'hadoop-3.5.0.tar.gz: %s\n' % ' '.join(DIGEST.upper()[i:i + 8] for i in range(0, 128, 8)),
    '%s\n' % DIGEST,
])
def test_checksum_formats(text):
    assert f.checksum_from_file(text, 'hadoop-3.5.0.tar.gz') == DIGEST


def test_checksum_of_another_file_is_refused():
    with pytest.raises(AnsibleFilterError):
        f.checksum_from_file('%s  other.tar.gz\n' % DIGEST, 'hadoop-3.5.0.tar.gz')


def test_unknown_variables_suggest_the_closest_name():
    problems = f.unknown_variables(
        ['hdfs_namenode_heap_mbb', 'hdfs_namenode_heap_mb', 'unrelated_var', 'hadoop_version'],
        ['hdfs_namenode_heap_mb', 'hadoop_version'], ['hdfs_', 'hadoop_'])
    assert problems == ['hdfs_namenode_heap_mbb is not a variable of datafleet.hadoop '
                        '(did you mean hdfs_namenode_heap_mb?)']


def test_daemon_argv_for_the_namenode():
    argv = f.hadoop_daemon_argv('namenode', '/j', '/opt/hadoop/current', '/etc/hadoop/conf', 512,
                                '/var/log/hadoop/hdfs', 'hdfs', ['-XX:+UseG1GC'])
    assert argv[:4] == ['/j/bin/java', '-Xms512m', '-Xmx512m', '-XX:+UseG1GC']
    assert '-Dhadoop.log.file=hdfs-namenode.log' in argv
    # The root logger comes from log4j.properties (hadoop_log_level): a
    # -Dhadoop.root.logger on the command line would override it.
    assert not [a for a in argv if a.startswith('-Dhadoop.root.logger')]
    assert argv[-1] == 'org.apache.hadoop.hdfs.server.namenode.NameNode'


def test_daemon_argv_for_zookeeper():
    argv = f.zookeeper_daemon_argv('zookeeper', '/j', '/opt/zookeeper/current', '/etc/zookeeper/conf', 256,
                                   '/var/log/zookeeper', ['-XX:+UseG1GC'])
    assert argv[:5] == ['/j/bin/java', '-Xms256m', '-Xmx256m', '-XX:+ExitOnOutOfMemoryError', '-XX:+UseG1GC']
    assert '-Dzookeeper.log.dir=/var/log/zookeeper' in argv
    assert argv[argv.index('-cp') + 1] == '/etc/zookeeper/conf:/opt/zookeeper/current/lib/*'
    assert argv[-2:] == ['org.apache.zookeeper.server.quorum.QuorumPeerMain', '/etc/zookeeper/conf/zoo.cfg']


def test_zookeeper_ensemble_from_hostvars_and_layers():
    hostvars = {
        'zk1': {'zookeeper_myid': 1, 'zookeeper_config': {'tickTime': 3000}},
        'zk2': {'zookeeper_myid': 2, 'zookeeper_config_host': {'clientPort': 2182}},
        'zk3': {'zookeeper_myid': 2},
    }
    assert f.zookeeper_ensemble_problems(['zk1', 'zk2', 'zk3'], hostvars) == [
        'zk2: zoo.cfg clientPort comes from zookeeper_client_port; remove it from zookeeper_config*',
        'zookeeper_myid 2 is given to zk2 and zk3; each server needs its own']
    assert f.zookeeper_ensemble_problems(['zk1'], hostvars) == []
    with pytest.raises(AnsibleFilterError, match='zookeeper_config_group must be a dict'):
        f.zookeeper_ensemble_problems(['zk1'], {'zk1': {'zookeeper_myid': 1, 'zookeeper_config_group': 'x'}})


def test_unknown_daemon_is_an_error():
    with pytest.raises(AnsibleFilterError):
        f.hadoop_daemon_argv('namenodes', '/j', '/h', '/c', 1, '/l', 'u')


def test_bad_config_value_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match='dfs.replication'):
        f.to_hadoop_xml({'dfs.replication': [3]}, 'hdfs-site.xml')


def _hostvars():
    facts = {'memtotal_mb': 131072, 'processor_vcpus': 32,
             'mounts': [{'mount': '/', 'size_total': 50 * 1024 ** 3}, {'mount': '/data/1', 'size_total': 4 * 1024 ** 4}]}
    return {
        'm': {'group_names': ['namenodes', 'resourcemanagers'], 'ansible_facts': dict(facts, processor_vcpus=16),
              'hdfs_namenode_heap_mb': 4096},
        'w': {'group_names': ['datanodes', 'nodemanagers'], 'ansible_facts': facts,
              'hadoop_datanode_data_dirs': ['/data/%d/dn' % i for i in range(1, 13)],
              'hadoop_yarn_site': {'yarn.nodemanager.resource.cpu-vcores': 30},
              'hadoop_yarn_site_host': {'yarn.nodemanager.resource.cpu-vcores': 24}},
        'small': {'group_names': ['datanodes', 'nodemanagers'], 'ansible_facts': {},
                  'hadoop_sizing_memory_mb': 4096, 'hadoop_sizing_vcpus': 2},
    }


SERVICES = {'namenode': 'namenodes', 'datanode': 'datanodes', 'resourcemanager': 'resourcemanagers',
            'nodemanager': 'nodemanagers'}


def test_sizing_reads_facts_layers_and_declared_sizes():
    plan = f.sizing(_hostvars(), ['m', 'w', 'small'], SERVICES, defaults={'data_dirs': ['/var/lib/hadoop/dn']})
    assert plan['errors'] == []
    w = plan['hosts']['w']
    assert w['settings']['yarn_site']['yarn.nodemanager.resource.memory-mb'] == 90112
    assert w['resources'] == {'memory_mb': 131072, 'vcpus': 32, 'data_dirs': 12, 'from': 'w'}
    # /data/1 is a 4 TiB volume, the other directories sit on / (50 GiB): 10 % of the smallest.
    assert w['settings']['hdfs_site']['dfs.datanode.du.reserved'] == 5 * 1024 ** 3
    assert plan['hosts']['small']['resources']['memory_mb'] == 4096
    # A heap set by hand is not recommended, and the host has room for it.
    assert 'hdfs_namenode_heap_mb' not in plan['hosts']['m']['heap_mb']


def test_sizing_names_hosts_without_facts():
    hostvars = _hostvars()
    del hostvars['small']['hadoop_sizing_memory_mb']
    plan = f.sizing(hostvars, ['m', 'w', 'small'], SERVICES)
    assert plan['errors'][0].startswith('no memory or vCPU count for small: gather their hardware facts')


def test_sizing_bad_value_is_a_filter_error():
    hostvars = _hostvars()
    hostvars['w']['hadoop_yarn_site_host'] = {'yarn.nodemanager.resource.memory-mb': 'lots'}
    with pytest.raises(AnsibleFilterError, match="w: yarn.nodemanager.resource.memory-mb='lots' is not a whole"):
        f.sizing(hostvars, ['m', 'w', 'small'], SERVICES)


def test_sizing_off_as_an_extra_var_string_keeps_hadoop_defaults_in_effect():
    hostvars = _hostvars()
    for host in hostvars.values():
        host['hadoop_sizing'] = 'false'
    plan = f.sizing(hostvars, ['m', 'w', 'small'], SERVICES)
    # Hadoop's 8192 MB NodeManager does not fit the 4096 MB host.
    assert plan['errors'] == [
        "small: yarn.nodemanager.resource.memory-mb is 8192 MB but the host has 4096 MB: set it in the inventory "
        "(the advisor is off here: Hadoop's defaults apply)",
        "small: NodeManager memory 8192 MB + daemon heaps (hdfs_datanode_heap_mb 1024 MB, yarn_nodemanager_heap_mb "
        "1024 MB) = 10240 MB is more than the host's 4096 MB: set them in the inventory (the advisor is off here: "
        "Hadoop's defaults apply)"]


def test_layers_merge_lowest_first_key_by_key():
    merged = f.merge_layers([{'a': 1, 'b': 1}, {'b': 2}, None, {'c': 3}, {'a': 5}], 'core_site')
    assert merged == {'a': 5, 'b': 2, 'c': 3}


def test_a_layer_that_is_not_a_dict_is_named():
    with pytest.raises(AnsibleFilterError, match='hadoop_hdfs_site_group must be a dict of property names to values, '
                                                 'not a list'):
        f.merge_layers([{}, {}, {}, ['dfs.replication'], {}], 'hdfs_site')


@pytest.mark.parametrize('files, restarted', [
    (['yarn-site.xml'], ['resourcemanager', 'nodemanager', 'historyserver']),
    (['log4j.properties'], ['namenode', 'datanode', 'journalnode', 'zkfc', 'resourcemanager', 'nodemanager',
                            'historyserver']),
    (['spark-defaults.conf'], ['spark_history']),
    (['hdfs-site.xml'], ['namenode', 'datanode', 'journalnode', 'zkfc', 'resourcemanager', 'nodemanager',
                         'historyserver', 'spark_history']),
    (['spark-yarn-shuffle'], ['nodemanager']),
    # The ResourceManager reloads it (rmadmin -refreshQueues).
    (['capacity-scheduler.xml'], []),
    (['capacity-scheduler.xml', 'yarn-site.xml'], ['resourcemanager', 'nodemanager', 'historyserver']),
])
def test_what_a_changed_file_restarts(files, restarted):
    assert f.daemons_reading(files) == restarted


@pytest.mark.parametrize('files, reloaded', [
    (['capacity-scheduler.xml'], ['resourcemanager']),
    (['capacity-scheduler.xml', 'yarn-site.xml'], ['resourcemanager']),
    (['yarn-site.xml', 'log4j.properties'], []),
])
def test_what_a_changed_file_reloads(files, reloaded):
    assert f.daemons_reloading(files) == reloaded


@pytest.mark.parametrize('files, reloaded', [
    (['hdfs-site.xml:datanode'], ['datanode']),
    (['hdfs-site.xml:namenode', 'hdfs-site.xml:datanode'], ['namenode', 'datanode']),
])
def test_reconfigurable_properties_reconfigure_and_restart_nothing(files, reloaded):
    assert f.daemons_reloading(files) == reloaded
    assert f.daemons_reading(files) == []


# hdfs-site.xml as the hadoop role renders it (a comment, the runtime include).
IN_PLACE = f.to_hadoop_xml({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': 50,
                            'dfs.namenode.replication.max-streams': 2},
                           'hdfs_site', 'Managed by Ansible', 'hdfs-site.runtime.xml')


@pytest.mark.parametrize('config, recorded', [
    # Only a DataNode property: the DataNodes reconfigure, nothing restarts.
    ({'dfs.replication': '3', 'dfs.datanode.balance.max.concurrent.moves': 100,
      'dfs.namenode.replication.max-streams': 2}, ['hdfs-site.xml:datanode']),
    # A DataNode property and a NameNode property, one of them added.
    ({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': 50, 'dfs.namenode.replication.max-streams': 4,
      'dfs.datanode.max.transfer.threads': 8192}, ['hdfs-site.xml:namenode', 'hdfs-site.xml:datanode']),
    # A property both list, added: both reconfigure.
    ({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': 50, 'dfs.namenode.replication.max-streams': 2,
      'dfs.datanode.peer.stats.enabled': True}, ['hdfs-site.xml:namenode', 'hdfs-site.xml:datanode']),
    # A DataNode property removed.
    ({'dfs.replication': 3, 'dfs.namenode.replication.max-streams': 2}, ['hdfs-site.xml:datanode']),
    # One property no daemon reconfigures: every reader restarts.
    ({'dfs.replication': 2, 'dfs.datanode.balance.max.concurrent.moves': 100,
      'dfs.namenode.replication.max-streams': 2}, ['hdfs-site.xml']),
    # The NameNode reconfigures dfs.heartbeat.interval, the DataNodes read it at start.
    ({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': 50, 'dfs.namenode.replication.max-streams': 2,
      'dfs.heartbeat.interval': 5}, ['hdfs-site.xml']),
    # A volume added: the DataNodes could swap it in, but all at once; they restart in batches instead.
    ({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': 50, 'dfs.namenode.replication.max-streams': 2,
      'dfs.datanode.data.dir': 'file:///data/1,file:///data/2'}, ['hdfs-site.xml']),
    # Nothing but the comment changed.
    ({'dfs.replication': 3, 'dfs.datanode.balance.max.concurrent.moves': '50',
      'dfs.namenode.replication.max-streams': 2}, []),
])
def test_what_an_hdfs_site_change_is_recorded_as(config, recorded):
    assert f.hdfs_site_changes(IN_PLACE, config) == recorded


@pytest.mark.parametrize('in_place', ['', 'not xml <', '<configuration><property><name>x</name></configuration'])
def test_without_a_readable_hdfs_site_in_place_every_reader_restarts(in_place):
    assert f.hdfs_site_changes(in_place, {'dfs.datanode.balance.max.concurrent.moves': 100}) == ['hdfs-site.xml']


def test_a_bad_hdfs_site_value_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match='dfs.datanode.data.dir'):
        f.hdfs_site_changes(IN_PLACE, {'dfs.datanode.data.dir': ['/a', '/b']})


def test_only_the_hosts_daemons_reload():
    assert f.daemons_reloading(['capacity-scheduler.xml'], ['datanode', 'nodemanager']) == []
    with pytest.raises(AnsibleFilterError, match="unknown file"):
        f.daemons_reloading(['capacity-scheduler.xm'])


def test_only_the_hosts_daemons_restart():
    assert f.daemons_reading(['core-site.xml'], ['datanode', 'nodemanager']) == ['datanode', 'nodemanager']


def test_an_unknown_file_is_refused():
    with pytest.raises(AnsibleFilterError, match="unknown file"):
        f.daemons_reading(['yarn-site.xm'])


def test_a_negative_declared_size_names_the_host_and_the_variable():
    hostvars = _hostvars()
    hostvars['small']['hadoop_sizing_memory_mb'] = -5
    with pytest.raises(AnsibleFilterError, match=r"small: hadoop_sizing_memory_mb=-5 must be a whole number above 0 "
                                                 r"\(or 0 to take the host's facts\)"):
        f.sizing(hostvars, ['m', 'w', 'small'], SERVICES)


def test_hosts_outside_the_run_are_not_needed_to_size_it():
    hostvars = _hostvars()
    # w is outside the run and Ansible holds no facts of it: the
    # ResourceManager's report of its NodeManager counts instead.
    hostvars['w']['ansible_facts'] = {}
    reported = f.reported_nodemanagers([
        {'host': 'w', 'state': 'RUNNING', 'memory_mb': 90112, 'vcores': 24},
        {'host': 'gone', 'state': 'LOST', 'memory_mb': 2048, 'vcores': 2}])
    plan = f.sizing(hostvars, ['m', 'w', 'small'], SERVICES, play_hosts=['small'], reported=reported)
    assert plan['errors'] == [] and plan['left_out'] == []
    assert sorted(plan['hosts']) == ['m', 'small']
    # m is outside the run too but its facts are held (a fact cache): sized
    # without contact; its scheduler maximum is w's reported memory.
    assert plan['hosts']['m']['settings']['yarn_site']['yarn.scheduler.maximum-allocation-mb'] == 90112
    without_report = f.sizing(hostvars, ['m', 'w', 'small'], SERVICES, play_hosts=['small'])
    assert without_report['left_out'] == ['w']


def test_hdfs_ha_problems_read_the_ids_from_hostvars():
    hostvars = {'nn1': {'hdfs_namenode_id': 'nn1'}, 'nn2': {}}
    assert f.hdfs_ha_problems('prod', hostvars, ['nn1', 'nn2'], ['j1', 'j2', 'j3'], ['z1', 'z2', 'z3']) == [
        'nn2: hdfs_namenode_id is not set; give each NameNode its own id such as nn1 (the topology inventory sets it '
        'from the number in the host name)']


def test_hdfs_ha_settings_replace_the_single_namenode_keys():
    settings = f.hdfs_ha_settings('prod', [['m1', 'nn1'], ['m2', 'nn2']], ['m1', 'm2', 'm3'], 'm1:2181,m2:2181,m3:2181')
    assert settings['core_site'] == {'fs.defaultFS': 'hdfs://prod', 'ha.zookeeper.quorum': 'm1:2181,m2:2181,m3:2181'}
    assert settings['hdfs_site']['dfs.namenode.rpc-address.prod.nn2'] == 'm2:8020'
    assert settings['replaced'] == ['dfs.namenode.rpc-address', 'dfs.namenode.http-address']


def test_yarn_ha_settings_and_problems():
    settings = f.yarn_ha_settings('prod', [['m1', 'rm1'], ['m2', 'rm2']], 'm1:2181,m2:2181,m3:2181', '8090')
    assert settings['yarn_site']['yarn.resourcemanager.webapp.address.rm2'] == 'm2:8090'
    assert settings['replaced'] == ['yarn.resourcemanager.hostname', 'yarn.resourcemanager.webapp.address']
    hostvars = {'m1': {'yarn_resourcemanager_id': 'rm1'}, 'm2': {}}
    assert f.yarn_ha_problems(hostvars, ['m1', 'm2'], ['z1', 'z2', 'z3'],
                              {'resourcemanager': 'rms', 'zookeeper': 'zks'}) == [
        'm2: yarn_resourcemanager_id is not set; give each ResourceManager its own id such as rm1 (the topology '
        'inventory sets it from the number in the host name)']


def test_the_changed_properties_of_an_hdfs_site():
    assert f.hadoop_changed_properties(IN_PLACE, {'dfs.replication': 3, 'dfs.namenode.replication.max-streams': 4,
                                                  'dfs.heartbeat.interval': 5}) == [
        'dfs.datanode.balance.max.concurrent.moves', 'dfs.heartbeat.interval', 'dfs.namenode.replication.max-streams']
    assert f.hadoop_changed_properties('', {'dfs.replication': 3}) == []


SERVICE_USERS = {'hdfs': 'hdfs', 'yarn': 'yarn', 'mapred': 'mapred', 'spark': 'spark', 'zookeeper': 'zookeeper'}


def test_security_settings_off_change_no_file():
    assert f.hadoop_security_settings('none', '', '/etc/security/keytabs', SERVICE_USERS, 'privacy', 'authentication',
                                      'False', '/etc/hadoop/conf/http-signature.secret') == {
        'core_site': {}, 'hdfs_site': {}, 'yarn_site': {}, 'mapred_site': {}}


@pytest.mark.parametrize('native_code, aggregation', [(True, None), ('True', None), ('false', False), (False, False)])
def test_security_settings_take_native_code_as_templated(native_code, aggregation):
    # Role variables templated to text arrive as 'True'/'False'.
    settings = f.hadoop_security_settings('kerberos', 'EXAMPLE.TEST', '/k', SERVICE_USERS, 'privacy', 'authentication',
                                          native_code, '/etc/hadoop/conf/http-signature.secret')
    assert settings['yarn_site'].get('yarn.log-aggregation-enable') is aggregation
    assert settings['hdfs_site']['dfs.namenode.kerberos.principal'] == 'nn/_HOST@EXAMPLE.TEST'
    assert settings['core_site']['hadoop.http.authentication.signature.secret.file'] == (
        '/etc/hadoop/conf/http-signature.secret')


def test_security_settings_of_an_unknown_mode_are_a_filter_error():
    with pytest.raises(AnsibleFilterError, match="hadoop_security_settings: security must be one of none, kerberos"):
        f.hadoop_security_settings('simple', 'EXAMPLE.TEST', '/k', SERVICE_USERS)


def test_keytabs_of_a_host_s_daemons():
    assert f.hadoop_keytabs(('datanode',), 'W1.example.test', 'EXAMPLE.TEST', '/k', SERVICE_USERS, 'hadoop') == [
        {'path': '/k/hdfs.service.keytab', 'principals': ['dn/w1.example.test@EXAMPLE.TEST'], 'owner': 'hdfs',
         'group': 'hadoop', 'mode': '0400'},
        {'path': '/k/spnego.service.keytab', 'principals': ['HTTP/w1.example.test@EXAMPLE.TEST'], 'owner': 'root',
         'group': 'hadoop', 'mode': '0440'},
    ]
    with pytest.raises(AnsibleFilterError, match="hadoop_keytabs: 'gateway' is not a daemon with a Kerberos principal"):
        f.hadoop_keytabs(['gateway'], 'w1', 'EXAMPLE.TEST', '/k', SERVICE_USERS, 'hadoop')


def test_security_problems():
    assert f.hadoop_security_problems('none', '', '/etc/security/keytabs') == []
    assert f.hadoop_security_problems('kerberos', 'EXAMPLE.TEST', 'keytabs') == [
        "hadoop_keytab_dir 'keytabs' must be an absolute path, such as /etc/security/keytabs"]
