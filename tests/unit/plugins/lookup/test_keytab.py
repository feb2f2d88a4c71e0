# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.datafleet.hadoop.plugins.lookup.keytab import LookupModule
from ansible_collections.datafleet.hadoop.tests.unit.plugins._fakes import CAPTURED, captured_bytes


def test_principals_and_content_of_a_keytab_file():
    found = LookupModule().run([os.path.join(CAPTURED, 'krb5_two_versions.keytab')], variables={})
    assert found[0]['principals'] == {'nn/master1.example.test@EXAMPLE.TEST': 1, 'HTTP/master1.example.test@EXAMPLE.TEST': 2}
    assert base64.b64decode(found[0]['content']) == captured_bytes('krb5_two_versions.keytab')


def test_missing_or_foreign_files_are_errors_that_name_them(tmp_path):
    other = tmp_path / 'notes.txt'
    other.write_text('not a keytab')
    for path in (str(tmp_path / 'absent.keytab'), str(other)):
        with pytest.raises(AnsibleLookupError, match='cannot read the keytab %s' % path):
            LookupModule().run([path], variables={})
