# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.datafleet.hadoop.plugins.module_utils._config import (
    ConfigValueError, parse_hadoop_xml, parse_properties, to_hadoop_xml, to_properties)


def _parse(xml_text):
    root = ET.fromstring(xml_text.split('?>', 1)[1])
    return dict((p.find('name').text, p.find('value').text) for p in root.findall('property'))


def test_xml_round_trips_values_hadoop_reads():
    config = {'dfs.replication': 2, 'dfs.webhdfs.enabled': True, 'a.float': 0.5,
              'yarn.aux': 'mapreduce_shuffle,spark_shuffle', 'odd': '<&>"\''}
    parsed = _parse(to_hadoop_xml(config, 'hdfs-site.xml', comment='Ansible managed'))
    assert parsed == {'dfs.replication': '2', 'dfs.webhdfs.enabled': 'true', 'a.float': '0.5',
                      'yarn.aux': 'mapreduce_shuffle,spark_shuffle', 'odd': '<&>"\''}


def test_xml_declaration_comes_first_and_output_is_sorted():
    text = to_hadoop_xml({'b': 1, 'a': 2}, comment='managed -- by ansible')
    lines = text.splitlines()
    assert lines[0].startswith('<?xml')
    assert lines[1] == '<!-- managed - - by ansible -->'
    assert text.index('<name>a</name>') < text.index('<name>b</name>')
    assert to_hadoop_xml({'a': 2, 'b': 1}) == to_hadoop_xml({'b': 1, 'a': 2})


@pytest.mark.parametrize('value, kind', [
    (['a', 'b'], 'list'), ({'x': 1}, 'dict'), (None, 'NoneType'),
])
def test_values_that_are_not_scalars_name_the_key(value, kind):
    with pytest.raises(ConfigValueError) as err:
        to_hadoop_xml({'dfs.datanode.data.dir': value}, 'hdfs-site.xml')
    message = str(err.value)
    assert 'hdfs-site.xml' in message and 'dfs.datanode.data.dir' in message and kind in message


def test_properties_escape_keys_and_values():
    text = to_properties({'spark.master': 'yarn', 'k with space': 'v\nline', 'spark.x': False})
    assert text.splitlines() == ['k\\ with\\ space v\\nline', 'spark.master yarn', 'spark.x false']


def test_a_site_file_reads_back():
    text = to_hadoop_xml({'a.b': 1, 'c': 'x<y & z', 'd': True}, 'x-site.xml')
    assert parse_hadoop_xml(text) == {'a.b': '1', 'c': 'x<y & z', 'd': 'true'}


def test_a_properties_file_reads_back():
    config = {'spark.executor.memory': '512m', 'odd key': 'a=b\tc', 'spark.master': 'yarn'}
    text = to_properties(config)
    assert parse_properties('# comment\n\n' + text) == config


def test_layers_merge_lowest_first():
    from ansible_collections.datafleet.hadoop.plugins.module_utils._config import merge_layers
    assert merge_layers([{'a': '1', 'b': '1'}, None, {'b': '2'}, {}, {'c': '3'}]) == {'a': '1', 'b': '2', 'c': '3'}


def test_each_section_names_its_layers():
    from ansible_collections.datafleet.hadoop.plugins.module_utils._config import layer_names, inventory_layers
    assert layer_names('yarn_site') == ['hadoop_yarn_site_default', 'the configuration advisor', 'hadoop_yarn_site',
                                        'hadoop_yarn_site_group', 'hadoop_yarn_site_host']
    assert inventory_layers({'spark_defaults_host': {'x': 1}}, 'spark_defaults') == [None, None, {'x': 1}]
