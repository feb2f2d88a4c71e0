# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""MIT Kerberos administration through its own tools (kadmin.local, kadmin,
klist, kinit), run with AnsibleModule.run_command: argv lists, no shell.

kadmin exits 0 when a query fails and prints the failure on stderr as
"<request>: <reason> while <doing what>"; every query's stderr is read.
Keys are never changed here: principals are created with random keys once,
and keytabs are exported with -norandkey, so a keytab already in use stays
valid.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
import struct

_KADMIN_ARGUMENT_SPEC = dict(
    kadmin=dict(type='str', default='local', choices=['local', 'remote']),
    realm=dict(type='str'),
    admin_principal=dict(type='str'),
    admin_keytab=dict(type='path'),
    admin_server=dict(type='str'),
)


def kadmin_argument_spec():
    return copy.deepcopy(_KADMIN_ARGUMENT_SPEC)


# klist -k [-t] -e: "   1 12/05/26 08:56:56 nn/h.example.test@EXAMPLE.TEST (aes256-cts-hmac-sha1-96)"
_KEYTAB_ENTRY = re.compile(r'^\s*(\d+)\s+(?:\S+\s+\S+\s+)?(\S+@\S+)\s+\(([^)]+)\)\s*$')
# kadmin getprinc
_PRINCIPAL = re.compile(r'^Principal: (\S+)\s*$')
_KEY = re.compile(r'^Key: vno (\d+), (\S+)')
# kadmin ktadd: "Entry for principal nn/h.example.test with kvno 1, encryption type aes256-cts-hmac-sha1-96 added ..."
_EXPORTED = re.compile(r'^Entry for principal (\S+) with kvno (\d+), encryption type (\S+) added')
# Notices kadmin prints on stderr for a query that succeeded.
_NOTICE = re.compile(r'^(No policy specified for |WARNING: )')


def keytab_entries(text):
    """The entries of `klist -k -e` output: [{principal, kvno, enctype}] in file order."""
    entries = []
    for line in (text or '').splitlines():
        match = _KEYTAB_ENTRY.match(line)
        if match:
            entries.append({'principal': match.group(2), 'kvno': int(match.group(1)), 'enctype': match.group(3)})
    return entries


def parse_keytab(data):
    """The entries of an MIT keytab file (format 0x0502, the only one MIT writes):
    [{principal, kvno, enctype (its number)}] in file order; ValueError when data is not one."""
    if data[:2] != b'\x05\x02':
        raise ValueError('not a keytab file (it does not start with the keytab format 0x0502)')
    entries = []
    offset = 2
    try:
        while offset < len(data):
            size, = struct.unpack_from('>i', data, offset)
            offset += 4
            if size <= 0:
                # A hole left by a removed entry.
                offset += -size
                continue
            end = offset + size
            count, = struct.unpack_from('>H', data, offset)
            position = offset + 2
            parts = []
            for dummy in range(count + 1):
                length, = struct.unpack_from('>H', data, position)
                parts.append(data[position + 2:position + 2 + length].decode('utf-8'))
                position += 2 + length
            realm, components = parts[0], parts[1:]
            # name type, timestamp, 8-bit kvno, key type, key length and key.
            dummy, dummy, kvno, enctype, key_length = struct.unpack_from('>IIBHH', data, position)
            position += 13 + key_length
            # A 32-bit kvno follows when the entry has room for it.
            if end - position >= 4:
                wide, = struct.unpack_from('>I', data, position)
                kvno = wide or kvno
            if position > end:
                raise ValueError('an entry runs past its size')
            entries.append({'principal': '%s@%s' % ('/'.join(components), realm), 'kvno': kvno, 'enctype': enctype})
            offset = end
    except (struct.error, UnicodeDecodeError) as e:
        raise ValueError('the keytab file is truncated or damaged (%s)' % e)
    return entries


def keytab_kvnos(entries):
    """{principal: highest kvno} of keytab_entries()."""
    found = {}
    for entry in entries:
        found[entry['principal']] = max(entry['kvno'], found.get(entry['principal'], 0))
    return found


def principal_record(stdout):
    """kadmin getprinc output: {principal, kvno, enctypes}, or None when it names no principal."""
    name = None
    keys = []
    for line in (stdout or '').splitlines():
        match = _PRINCIPAL.match(line)
        if match:
            name = match.group(1)
            continue
        match = _KEY.match(line)
        if match:
            keys.append((int(match.group(1)), match.group(2)))
    if name is None:
        return None
    kvno = max([vno for vno, dummy in keys] or [0])
    return {'principal': name, 'kvno': kvno, 'enctypes': [enctype for vno, enctype in keys if vno == kvno]}


def kadmin_errors(stderr):
    """The failures kadmin reported on stderr (it exits 0 after a failed query)."""
    return [line.strip() for line in (stderr or '').splitlines() if line.strip() and not _NOTICE.match(line.strip())]


def exported(stdout):
    """kadmin ktadd output: {principal without realm: kvno} of the entries written."""
    found = {}
    for line in (stdout or '').splitlines():
        match = _EXPORTED.match(line)
        if match:
            found[match.group(1)] = int(match.group(2))
    return found


def short(principal):
    """The principal without its realm, as ktadd names it."""
    return principal.split('@', 1)[0]


class Kadmin(object):
    """kadmin.local on the KDC host, or kadmin with an admin principal's keytab."""

    def __init__(self, module):
        self.module = module
        params = module.params
        self.mode = params['kadmin']
        if self.mode == 'local':
            self.base = [module.get_bin_path('kadmin.local', required=True)]
        else:
            if not params.get('admin_principal') or not params.get('admin_keytab'):
                module.fail_json(msg='kadmin=remote needs admin_principal and admin_keytab (the keytab of a principal '
                                     'that kadm5.acl allows to add principals and extract keys: "ae")')
            self.base = [module.get_bin_path('kadmin', required=True), '-p', params['admin_principal'],
                         '-k', '-t', params['admin_keytab']]
            if params.get('admin_server'):
                self.base.extend(['-s', params['admin_server']])
        if params.get('realm'):
            self.base.extend(['-r', params['realm']])

    def query(self, query):
        """Runs one query; fails the module on a non-zero exit (kadmin could not start)."""
        argv = self.base + ['-q', query]
        rc, out, err = self.module.run_command(argv, environ_update={'LC_ALL': 'C'})
        if rc != 0:
            self.module.fail_json(msg='%s failed (exit code %s): %s' % (
                ' '.join(argv[:1] + ['-q', query]), rc, ' '.join(kadmin_errors(err)) or out.strip()),
                rc=rc, stdout=out, stderr=err)
        return out, err

    def get(self, principal):
        """{principal, kvno, enctypes}, or None when the KDC has no such principal."""
        out, err = self.query('getprinc %s' % principal)
        record = principal_record(out)
        errors = kadmin_errors(err)
        if record is None:
            if any('Principal does not exist' in line for line in errors):
                return None
            self.module.fail_json(msg='kadmin could not read principal %s: %s' % (principal, ' '.join(errors)),
                                  stdout=out, stderr=err)
        return record

    def add(self, principal):
        """Creates the principal with a random key (kvno 1)."""
        out, err = self.query('addprinc -randkey %s' % principal)
        if 'Principal "%s" created.' % principal not in out:
            self.module.fail_json(msg='kadmin could not create principal %s: %s' % (
                principal, ' '.join(kadmin_errors(err)) or out.strip()), stdout=out, stderr=err)

    def export(self, principals, path):
        """Writes the principals' current keys to the keytab at path, keys unchanged."""
        out, err = self.query('ktadd -norandkey -k %s %s' % (path, ' '.join(principals)))
        written = exported(out)
        missing = [p for p in principals if short(p) not in written and p not in written]
        if missing:
            errors = ' '.join(kadmin_errors(err))
            hint = ''
            if 'extract-keys' in errors:
                hint = ' (the admin principal needs the "e" privilege in kadm5.acl to export keys without changing them)'
            self.module.fail_json(msg='kadmin exported no keys for %s: %s%s' % (', '.join(missing), errors, hint),
                                  stdout=out, stderr=err)
        return written


def list_keytab(module, path):
    """keytab_entries() of the keytab at path ([] when klist cannot read it, with its message)."""
    klist = module.get_bin_path('klist', required=True)
    rc, out, err = module.run_command([klist, '-k', '-e', path], environ_update={'LC_ALL': 'C'})
    if rc != 0:
        return [], (err or out).strip()
    return keytab_entries(out), None


def kinit_check(module, path, principal):
    """None when the keytab's key for principal gets a ticket from the KDC, else kinit's message.
    The ticket goes to a memory cache that ends with kinit."""
    kinit = module.get_bin_path('kinit', required=True)
    rc, out, err = module.run_command([kinit, '-k', '-t', path, '-c', 'MEMORY:datafleet-check', principal],
                                      environ_update={'LC_ALL': 'C'})
    if rc == 0:
        return None
    return (err or out).strip() or 'kinit exited with %s' % rc
