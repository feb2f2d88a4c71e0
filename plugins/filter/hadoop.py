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
from ansible.module_utils.parsing.convert_bool import boolean

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


# The configuration layers a host's settings come from, lowest first, by file.
_SIZED_FILES = {
    'yarn_site': ('hadoop_yarn_site', 'hadoop_yarn_site_group', 'hadoop_yarn_site_host'),
    'mapred_site': ('hadoop_mapred_site', 'hadoop_mapred_site_group', 'hadoop_mapred_site_host'),
    'hdfs_site': ('hadoop_hdfs_site', 'hadoop_hdfs_site_group', 'hadoop_hdfs_site_host'),
    'spark_defaults': ('spark_defaults', 'spark_defaults_group', 'spark_defaults_host'),
}


def _volume_bytes(paths, mounts):
    """Size of the filesystem holding each path (the longest mount point
    that contains it), from the mounts fact."""
    sizes = []
    for path in paths:
        best = None
        for mount in mounts or ():
            point = mount.get('mount') or ''
            if (path == point or path.startswith(point.rstrip('/') + '/')) and (
                    best is None or len(point) > len(best.get('mount'))):
                best = mount
        if best and best.get('size_total'):
            sizes.append(int(best['size_total']))
    return sizes


def _sizing_record(name, host, services, defaults):
    facts = host.get('ansible_facts') or {}
    data_dirs = host.get('hadoop_datanode_data_dirs') or defaults.get('data_dirs') or []
    configured = {}
    for section, layers in _SIZED_FILES.items():
        merged = {}
        for layer in layers:
            merged.update(host.get(layer) or {})
        configured[section] = merged
    # A heap set by hand (0 is the role's default: the advisor's heap).
    heaps = dict((variable, host[variable]) for dummy, variable in _sizing.HEAP_VARIABLES if host.get(variable))
    return {
        'name': name,
        'services': [service for service, group in services.items() if group in (host.get('group_names') or ())],
        'profile': host.get('hadoop_profile') or '',
        'memory_mb': int(host.get('hadoop_sizing_memory_mb') or 0) or facts.get('memtotal_mb'),
        'vcpus': int(host.get('hadoop_sizing_vcpus') or 0) or facts.get('processor_vcpus'),
        'data_dirs': len(data_dirs),
        'volume_bytes': _volume_bytes(data_dirs, facts.get('mounts')),
        # -e hadoop_sizing=false arrives as a string.
        'sizing': boolean(host.get('hadoop_sizing', defaults.get('sizing', True))),
        'from_smallest': boolean(host.get('hadoop_sizing_from_smallest', defaults.get('from_smallest', False))),
        'configured': configured,
        'heaps': heaps,
    }


def sizing(hostvars, hosts, services, skip=None, defaults=None):
    """The sizing plan of a cluster from every host's variables and facts.

    hostvars: Ansible's hostvars; hosts: the cluster's hosts; services:
    {service: inventory group}; skip: settings and heap variables the
    advisor leaves alone; defaults: values for hosts that do not set them
    (data_dirs, sizing, from_smallest).
    """
    defaults = defaults or {}
    try:
        records = [_sizing_record(name, hostvars[name], services, defaults) for name in hosts]
        return _sizing.plan(records, skip=skip or ())
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
