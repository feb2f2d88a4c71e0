# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Filters the roles use to render configuration and systemd units."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.datafleet.hadoop.plugins.module_utils import _config, _layout, _sizing


def to_hadoop_xml(config, name='configuration', comment=None, include=None):
    try:
        return _config.to_hadoop_xml(config, name, comment, include)
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))


def to_properties(config, name='configuration'):
    try:
        return _config.to_properties(config, name)
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))


def hadoop_daemon_argv(daemon, java_home, hadoop_home, conf_dir, heap_mb, log_dir, user,
                       jvm_options=None, args=None, extra_classpath=None):
    """Full java argv of a Hadoop daemon (namenode, datanode, resourcemanager, ...)."""
    if daemon not in _layout.MAIN_CLASSES:
        raise AnsibleFilterError('unknown Hadoop daemon %r; known: %s' % (daemon, ', '.join(sorted(_layout.MAIN_CLASSES))))
    options = ['-Xms%sm' % heap_mb, '-Xmx%sm' % heap_mb] + list(jvm_options or [])
    return _layout.java_argv(
        java_home,
        _layout.hadoop_classpath(hadoop_home, conf_dir, daemon, extra=extra_classpath),
        _layout.MAIN_CLASSES[daemon],
        args=args,
        jvm_options=options,
        properties=_layout.hadoop_properties(hadoop_home, log_dir, '%s-%s.log' % (user, daemon), user,
                                             root_logger='INFO,RFA'),
    )


def spark_daemon_argv(daemon, java_home, spark_home, spark_conf_dir, hadoop_conf_dir, heap_mb,
                      jvm_options=None, args=None):
    """Full java argv of a Spark daemon started without spark-class (the history server)."""
    options = ['-Xms%sm' % heap_mb, '-Xmx%sm' % heap_mb] + list(jvm_options or [])
    return _layout.java_argv(
        java_home,
        _layout.spark_classpath(spark_home, spark_conf_dir, hadoop_conf_dir),
        _layout.MAIN_CLASSES[daemon],
        args=args,
        jvm_options=options,
    )


_SYSTEMD_PLAIN = re.compile(r'^[A-Za-z0-9_@%+=:,./*-]+$')


def systemd_exec(argv):
    """Join an argv list for ExecStart=: quote words with other characters,
    and escape the specifiers (%) and variable expansions ($) systemd applies."""
    words = []
    for arg in argv:
        word = to_text(arg).replace('%', '%%').replace('$', '$$')
        if not _SYSTEMD_PLAIN.match(word):
            word = '"%s"' % word.replace('\\', '\\\\').replace('"', '\\"')
        words.append(word)
    return ' '.join(words)


def checksum_from_file(text, filename=None):
    """The hex digest in a published checksum file.

    Understands GNU coreutils lines (`<hex>  <file>`), BSD style lines
    (`SHA512 (<file>) = <hex>`) and Apache's older multi-line gpg --print-md
    output (`<file>: AB12 CD34 ...`).
    """
    text = to_text(text)
    bsd = re.search(r'\(([^)]+)\)\s*=\s*([0-9a-fA-F]+)', text)
    if bsd and (filename is None or bsd.group(1) == filename):
        return bsd.group(2).lower()
    if ':' in text and not bsd:
        name, _sep, rest = text.partition(':')
        digest = re.sub(r'\s+', '', rest)
        if re.match(r'^[0-9a-fA-F]{64,}$', digest) and (filename is None or name.strip() == filename):
            return digest.lower()
    for line in text.splitlines():
        parts = line.split()
        if parts and re.match(r'^[0-9a-fA-F]{64,}$', parts[0]):
            if filename is None or len(parts) == 1 or parts[-1].lstrip('*') == filename:
                return parts[0].lower()
    raise AnsibleFilterError('no checksum%s found in the checksum file: %r'
                             % (' for %s' % filename if filename else '', text[:200]))


def unknown_variables(names, known, prefixes):
    """Names that start with one of the prefixes but are not known options.

    Returns a list of messages, each with the closest known name as a hint.
    """
    known = set(known)
    problems = []
    for name in sorted(set(names)):
        if not name.startswith(tuple(prefixes)) or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = ' (did you mean %s?)' % close[0] if close else ''
        problems.append('%s is not a variable of datafleet.hadoop%s' % (name, hint))
    return problems


def sizing(facts, services, data_dirs=1, datanodes=1, workers=1, worker=None):
    """Recommended settings for a host from its facts (memtotal_mb, processor_vcpus)."""
    worker = worker or {}
    try:
        return _sizing.recommend(
            int(facts['memtotal_mb']), int(facts.get('processor_vcpus') or facts.get('processor_cores') or 1),
            int(data_dirs), list(services), datanodes=int(datanodes), workers=int(workers),
            worker_memory_mb=worker.get('memtotal_mb'), worker_vcpus=worker.get('processor_vcpus'),
            worker_data_dirs=worker.get('data_dirs'))
    except KeyError as e:
        raise AnsibleFilterError('sizing needs the host fact %s: gather the hardware facts' % e)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError('sizing: %s' % to_text(e))


class FilterModule(object):
    def filters(self):
        return {
            'to_hadoop_xml': to_hadoop_xml,
            'to_properties': to_properties,
            'hadoop_daemon_argv': hadoop_daemon_argv,
            'spark_daemon_argv': spark_daemon_argv,
            'systemd_exec': systemd_exec,
            'checksum_from_file': checksum_from_file,
            'unknown_variables': unknown_variables,
            'sizing': sizing,
        }
