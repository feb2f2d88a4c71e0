# -*- coding: utf-8 -*-
"""The cluster as clients see it: live nodes, an HDFS round trip, the
service check's Spark job and the history server. Requests are made with curl
from the master container, independently of the collection's modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json

from conftest import ENDPOINTS, GROUPS, MASTER

testinfra_hosts = [MASTER]

NN = 'http://%s:9870' % ENDPOINTS['hadoop_namenode_host']
RM = 'http://%s:8088' % ENDPOINTS['hadoop_resourcemanager_host']
SHS = 'http://%s:18080' % ENDPOINTS['spark_history_host']
CHECK_ROOT = '/tmp/datafleet-service-check'


def jmx(curl, bean):
    return curl.json('%s/jmx?qry=Hadoop:service=NameNode,name=%s' % (NN, bean))['beans'][0]


def test_namenode_reports_every_datanode_live(curl):
    state = jmx(curl, 'FSNamesystemState')
    assert state['NumLiveDataNodes'] == len(GROUPS['datanodes'])
    assert state['NumDeadDataNodes'] == 0
    assert state['FSState'] == 'Operational'
    live = json.loads(jmx(curl, 'NameNodeInfo')['LiveNodes'])
    assert sorted(name.split(':')[0] for name in live) == GROUPS['datanodes']


def test_no_block_is_missing_or_corrupt(curl):
    system = jmx(curl, 'FSNamesystem')
    assert system['MissingBlocks'] == 0
    assert system['CorruptBlocks'] == 0


def test_resourcemanager_reports_every_nodemanager_running(curl):
    nodes = curl.json('%s/ws/v1/cluster/nodes?states=RUNNING' % RM)['nodes']['node']
    assert sorted(n['nodeHostName'] for n in nodes) == GROUPS['nodemanagers']
    assert curl.json('%s/ws/v1/cluster/metrics' % RM)['clusterMetrics']['unhealthyNodes'] == 0


def test_hdfs_write_and_read_back_with_checksum(master):
    path = '/tmp/molecule-roundtrip.bin'
    url = '%s/webhdfs/v1%s?user.name=hdfs' % (NN, path)
    master.check_output('head -c 3145728 /dev/urandom > /tmp/roundtrip.in')
    master.check_output('curl -sS -f -L -X PUT -T /tmp/roundtrip.in %s', url + '&op=CREATE&overwrite=true')
    master.check_output('curl -sS -f -L -o /tmp/roundtrip.out %s', url + '&op=OPEN')
    written = master.check_output('sha256sum /tmp/roundtrip.in').split()[0]
    read = master.check_output('sha256sum /tmp/roundtrip.out').split()[0]
    assert written == read
    status = json.loads(master.check_output('curl -sS -f %s', url + '&op=GETFILESTATUS'))['FileStatus']
    assert status['length'] == 3145728 and status['replication'] == 2
    master.check_output('curl -sS -f -X DELETE %s', url + '&op=DELETE')


def _service_check_run(curl):
    runs = curl.json('%s/webhdfs/v1%s?op=LISTSTATUS&user.name=hdfs' % (NN, CHECK_ROOT))
    names = [s['pathSuffix'] for s in runs['FileStatuses']['FileStatus']]
    assert len(names) == 1, names
    return '%s/%s' % (CHECK_ROOT, names[0])


def test_service_check_job_counted_its_input(curl):
    run = _service_check_run(curl)
    words = curl.get('%s/webhdfs/v1%s/words.txt?op=OPEN&user.name=hdfs' % (NN, run))
    expected = collections.Counter(words.split())
    listing = curl.json('%s/webhdfs/v1%s/counts?op=LISTSTATUS&user.name=hdfs' % (NN, run))
    parts = [s['pathSuffix'] for s in listing['FileStatuses']['FileStatus'] if s['pathSuffix'].startswith('part-')]
    assert '_SUCCESS' in [s['pathSuffix'] for s in listing['FileStatuses']['FileStatus']]
    counted = {}
    for part in parts:
        for line in curl.get('%s/webhdfs/v1%s/counts/%s?op=OPEN&user.name=hdfs' % (NN, run, part)).splitlines():
            word, count = line.split('\t')
            counted[word] = int(count)
    assert expected and counted == dict(expected)


def test_service_check_application_succeeded_and_is_in_the_history_server(curl):
    run_id = _service_check_run(curl).rsplit('/', 1)[1]
    apps = curl.json('%s/ws/v1/cluster/apps?applicationTypes=SPARK' % RM)['apps']['app']
    mine = [a for a in apps if a['name'] == 'datafleet-service-check-%s' % run_id]
    assert len(mine) == 1
    assert (mine[0]['state'], mine[0]['finalStatus']) == ('FINISHED', 'SUCCEEDED')
    history = curl.json('%s/api/v1/applications/%s' % (SHS, mine[0]['id']))
    assert history['id'] == mine[0]['id']
    assert history['attempts'] and history['attempts'][-1]['completed'] is True
