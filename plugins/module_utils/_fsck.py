# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The NameNode's fsck servlet (GET /fsck), read over HTTP and parsed.

It is what `hdfs fsck` itself calls. Two uses:
- a listing of every file (files=1) gives the highest and the lowest
  replication factor in use, the files open for write (openforwrite=1) and
  the racks the blocks are spread over (mis-replicated blocks);
- the blocks and replica locations of the open files (blocks=1&locations=1),
  to see which DataNodes their under-construction blocks live on;
- every replica with its state (replicadetails=1: LIVE, CORRUPT, ...), to
  see which blocks have a corrupt replica and where their live ones are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.common.text.converters import to_text

_FILE = re.compile(r'^(?P<path>/.*?) (?P<size>\d+) bytes, replicated: replication=(?P<replication>\d+), '
                   r'(?P<blocks>\d+) block\(s\)(?P<open>, OPENFORWRITE)?:')
_BLOCK = re.compile(r'^\d+\. (?P<block>\S+) len=(?P<length>\d+) (?P<kind>Live_repl|Expected_repl)=(?P<replicas>\d+)')
# A replica: its DataNode's transfer address, then with replicadetails=1 its
# state in parentheses.
_LOCATION = re.compile(r'DatanodeInfoWithStorage\[([^,\]]+)[^\]]*\](?:\(([A-Z_ ]+)\))?')
_SUMMARY = {
    'default_replication': re.compile(r'^\s*Default replication factor:\s*(\d+)'),
    'missing_blocks': re.compile(r'^\s*Missing blocks:\s*(\d+)'),
    'corrupt_blocks': re.compile(r'^\s*Corrupt blocks:\s*(\d+)'),
    'under_replicated_blocks': re.compile(r'^\s*Under-replicated blocks:\s*(\d+)'),
    'total_files': re.compile(r'^\s*Total files:\s*(\d+)'),
    'mis_replicated_blocks': re.compile(r'^\s*Mis-replicated blocks:\s*(\d+)'),
    'datanodes': re.compile(r'^\s*Number of data-nodes:\s*(\d+)'),
    'racks': re.compile(r'^\s*Number of racks:\s*(\d+)'),
}


def parse_fsck(text):
    """Files, their blocks (with replica addresses) and the summary of one fsck report."""
    files = []
    summary = {}
    current = None
    under_construction = False
    for line in to_text(text).splitlines():
        match = _FILE.match(line)
        if match:
            current = {
                'path': match.group('path'),
                'size': int(match.group('size')),
                'replication': int(match.group('replication')),
                'open': bool(match.group('open')),
                'block_count': int(match.group('blocks')),
                'blocks': [],
            }
            files.append(current)
            under_construction = False
            continue
        if line.startswith('Under Construction Block:'):
            under_construction = True
            continue
        match = _BLOCK.match(line)
        if match and current is not None:
            replicas = _LOCATION.findall(line)
            current['blocks'].append({
                'block': match.group('block'),
                'length': int(match.group('length')),
                'under_construction': under_construction or match.group('kind') == 'Expected_repl',
                'locations': [address for address, dummy in replicas],
                'states': dict((address, state) for address, state in replicas if state),
            })
            continue
        if line.startswith('Status:') or line.startswith('Replicated Blocks:'):
            current = None
        for key, pattern in _SUMMARY.items():
            found = pattern.match(line)
            if found and key not in summary:  # the replicated-blocks section comes first
                summary[key] = int(found.group(1))
    return {'files': files, 'summary': summary}


class Fsck(object):
    """fsck through the NameNode's web server, as the given user (simple auth)."""

    def __init__(self, client, user='hdfs'):
        self.client = client
        self.user = user

    def report(self, path='/', blocks=False, replicas=False):
        """Files of `path`; with `blocks` their blocks and replica locations; with
        `replicas` every replica with its state (corrupt ones included)."""
        query = {'ugi': self.user, 'path': path, 'files': '1', 'openforwrite': '1'}
        if blocks or replicas:
            query.update(blocks='1', locations='1')
        if replicas:
            query.update(replicadetails='1')
        return parse_fsck(self.client.request('GET', '/fsck', query=query).body)

    def open_files_with_blocks(self, listing):
        """The open files of a files-only listing, re-read with their block locations."""
        result = []
        for entry in listing['files']:
            if entry['open']:
                result.extend(f for f in self.report(entry['path'], blocks=True)['files'] if f['open'])
        return result


def highest_replication(listing):
    """(replication, path) of the file with the highest replication factor, or (0, None)."""
    best = (0, None)
    for entry in listing['files']:
        if entry['replication'] > best[0]:
            best = (entry['replication'], entry['path'])
    return best


def lowest_replication(listing):
    """(replication, path) of the file with blocks whose replication factor
    is the lowest, or (0, None) when no file has a block: an empty file
    loses nothing when its DataNodes stop."""
    best = (0, None)
    for entry in listing['files']:
        if entry['block_count'] and (best[1] is None or entry['replication'] < best[0]):
            best = (entry['replication'], entry['path'])
    return best


def open_blocks_on(open_files, addresses):
    """Open files whose blocks have a replica on one of the addresses (ip:port)."""
    addresses = set(addresses)
    found = []
    for entry in open_files:
        for block in entry['blocks']:
            on = sorted(addresses.intersection(block['locations']))
            if on:
                found.append({'path': entry['path'], 'block': block['block'], 'on': on,
                              'elsewhere': sorted(set(block['locations']) - addresses)})
    return found
