# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This plugin_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Host name patterns with ranges: ``worker[01:40].dc1.example.com``.

A pattern holds any number of ``[start:end]`` or ``[start:end:step]`` ranges,
numeric or single letters, expanded left to right. A numeric start with a
leading zero fixes the width, and then the end must have the same width
(``[01:40]``, not ``[01:100]``), as in Ansible's own inventory ranges.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import re
import string

_RANGE = re.compile(r'\[([^\[\]]*)\]')
_LETTERS = string.ascii_letters


class HostRangeError(ValueError):
    """The pattern cannot be expanded; the message says why and how to write it."""


def _numbers(pattern, start, end, step):
    if start.isalpha() and end.isalpha():
        raise HostRangeError("host pattern '%s': range [%s:%s]: a letter range takes single letters, like [a:f]"
                             % (pattern, start, end))
    if not (start.isdigit() and end.isdigit()):
        raise HostRangeError(
            "host pattern '%s': range [%s:%s] mixes digits and letters; write [01:40] or [a:f]"
            % (pattern, start, end))
    width = len(start) if start.startswith('0') and len(start) > 1 else 0
    if width and len(end) != width:
        raise HostRangeError(
            "host pattern '%s': range [%s:%s] has a zero-padded start of width %d but an end of width %d;"
            " give both with the same width" % (pattern, start, end, width, len(end)))
    first, last = int(start), int(end)
    if first > last:
        raise HostRangeError("host pattern '%s': range [%s:%s] counts down; write [%s:%s]"
                             % (pattern, start, end, end, start))
    return ['%0*d' % (width, n) for n in range(first, last + 1, step)]


def _letters(pattern, start, end, step):
    first, last = _LETTERS.index(start), _LETTERS.index(end)
    if first > last or start.islower() != end.islower():
        raise HostRangeError("host pattern '%s': letter range [%s:%s] must go forward within one case, like [a:f]"
                             % (pattern, start, end))
    return list(_LETTERS[first:last + 1:step])


def _expand_range(pattern, body):
    parts = body.split(':')
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise HostRangeError("host pattern '%s': range [%s] must be [start:end] or [start:end:step]"
                             % (pattern, body))
    start, end = parts[0], parts[1]
    step = 1
    if len(parts) == 3:
        if not parts[2].isdigit() or int(parts[2]) < 1:
            raise HostRangeError("host pattern '%s': the step of range [%s] must be a whole number of 1 or more"
                                 % (pattern, body))
        step = int(parts[2])
    if len(start) == 1 and len(end) == 1 and start in _LETTERS and end in _LETTERS:
        return _letters(pattern, start, end, step)
    return _numbers(pattern, start, end, step)


def expand_hosts(pattern):
    """All host names a pattern names, in order; a pattern without ranges names itself."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise HostRangeError('host pattern %r: a host name must be a non-empty string' % (pattern,))
    if pattern != pattern.strip() or any(c.isspace() for c in pattern):
        raise HostRangeError("host pattern '%s': a host name cannot contain spaces" % pattern)
    pieces = _RANGE.split(pattern)
    # pieces alternates literal text and range bodies: text, range, text, ...
    literals, bodies = pieces[0::2], pieces[1::2]
    for text in literals:
        if '[' in text or ']' in text:
            raise HostRangeError("host pattern '%s': unbalanced or nested brackets; a range is written [01:40]"
                                 % pattern)
    choices = [_expand_range(pattern, body) for body in bodies]
    names = []
    for combination in itertools.product(*choices):
        name = literals[0]
        for value, text in zip(combination, literals[1:]):
            name += value + text
        names.append(name)
    return names
