# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.datafleet.hadoop.plugins.lookup.file_stat import LookupModule


def lookup():
    return LookupModule()


def test_size_and_mtime_follow_links(tmp_path):
    artifact = tmp_path / 'hadoop.tar.gz'
    artifact.write_bytes(b'x' * 1234)
    os.utime(str(artifact), (1700000000.5, 1700000000.25))
    link = tmp_path / 'cache.tar.gz'
    link.symlink_to(artifact)
    found = lookup().run([str(link), str(artifact)], variables={})
    assert found[0] == found[1] == {'exists': True, 'size': 1234, 'mtime': 1700000000.25}


def test_missing_file_is_not_an_error(tmp_path):
    assert lookup().run([str(tmp_path / 'absent')], variables={}) == [{'exists': False, 'size': 0, 'mtime': 0}]


def test_a_rewritten_file_looks_different(tmp_path):
    artifact = tmp_path / 'spark.tgz'
    artifact.write_bytes(b'one')
    before = lookup().run([str(artifact)], variables={})[0]
    artifact.write_bytes(b'three')
    assert lookup().run([str(artifact)], variables={})[0]['size'] != before['size']
