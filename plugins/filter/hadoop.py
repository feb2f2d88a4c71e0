# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Filters the roles use to render configuration and systemd units."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from jinja2 import Undefined

from ansible.errors import AnsibleFilterError, AnsibleUndefinedVariable
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.datafleet.hadoop.plugins.module_utils import _config, _daemons, _ha, _layout, _security, _sizing, _zookeeper


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
        # The root logger's level and appender come from log4j.properties
        # (hadoop_log_level), not from the command line, so a change of level
        # restarts exactly the daemons that read that file.
        properties=_layout.hadoop_properties(hadoop_home, log_dir, '%s-%s.log' % (user, daemon), user,
                                             root_logger=None),
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


def zookeeper_daemon_argv(daemon, java_home, zookeeper_home, conf_dir, heap_mb, log_dir, jvm_options=None):
    """Full java argv of a ZooKeeper server (QuorumPeerMain with conf_dir/zoo.cfg)."""
    options = ['-Xms%sm' % heap_mb, '-Xmx%sm' % heap_mb, '-XX:+ExitOnOutOfMemoryError'] + list(jvm_options or [])
    return _layout.java_argv(
        java_home,
        _layout.zookeeper_classpath(zookeeper_home, conf_dir),
        _layout.MAIN_CLASSES[daemon],
        args=[conf_dir + '/zoo.cfg'],
        jvm_options=options,
        properties=_layout.zookeeper_properties(log_dir),
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


def merge_layers(layers, section=None):
    """A file's settings from its layers, lowest first (see _config.merge_layers)."""
    # An undefined layer is an undefined variable, not a wrong value (ansible-core
    # before 2.19 hands filters its Undefined instead of failing first).
    if any(isinstance(layer, Undefined) for layer in layers):
        raise AnsibleUndefinedVariable('a layer of %s is undefined' % (section or 'a file'))
    try:
        return _config.merge_layers(layers, section)
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))


def daemon_spec(name):
    """The daemon map's entry of one daemon (unit, description, service, reads, ...),
    with log_file: the file a ZooKeeper server logs to (Hadoop's daemons name theirs per user)."""
    try:
        return dict(_daemons.spec(name), log_file=_layout.ZOOKEEPER_LOG_FILE if name == 'zookeeper' else '')
    except ValueError as e:
        raise AnsibleFilterError(to_text(e))


def daemons_reading(files, daemons=None):
    """Of the given daemons, those that read any of files: what a change restarts."""
    try:
        return _daemons.reading(files, daemons)
    except ValueError as e:
        raise AnsibleFilterError(to_text(e))


def daemons_reloading(files, daemons=None):
    """Of the given daemons, those that reload one of files without a restart."""
    try:
        return _daemons.reloading(files, daemons)
    except ValueError as e:
        raise AnsibleFilterError(to_text(e))


def hdfs_site_changes(old_text, config):
    """What replacing the hdfs-site.xml in place (old_text) by config is
    recorded as: hdfs-site.xml, or only the reconfigurations of the NameNode
    or DataNode when every changed property is reconfigurable."""
    try:
        changed = _config.changed_properties(old_text, config, 'hdfs_site')
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))
    return [_daemons.HDFS_SITE] if changed is None else _daemons.hdfs_site_changes(changed)


def hadoop_changed_properties(old_text, config, name='configuration'):
    """Names of the properties whose value differs between a *-site.xml in
    place (old_text) and config; [] when there is no readable file in place."""
    try:
        return _config.changed_properties(old_text, config, name) or []
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))


# The files the advisor sizes.
_SIZED_SECTIONS = ('yarn_site', 'mapred_site', 'hdfs_site', 'spark_defaults')


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


def _declared(name, host, variable):
    """A size declared in the inventory (0: none), refused when it is not a
    whole number of at least 0."""
    value = host.get(variable) or 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or isinstance(value, bool):
        raise ValueError('%s: %s=%s must be a whole number above 0 (or 0 to take the host\'s facts)'
                         % (name, variable, value))
    return number


def _sizing_record(name, host, services, defaults, in_run, reported):
    data_dirs = host.get('hadoop_datanode_data_dirs') or defaults.get('data_dirs') or []
    memory = _declared(name, host, 'hadoop_sizing_memory_mb')
    vcpus = _declared(name, host, 'hadoop_sizing_vcpus')
    # Facts: gathered by this run, or kept by a fact cache (Ansible's, or
    # AWX's fact storage) for a host outside it.
    facts = host.get('ansible_facts') or {}
    record = {
        'name': name,
        'in_run': in_run,
        'services': [service for service, group in services.items() if group in (host.get('group_names') or ())],
        'profile': host.get('hadoop_profile') or '',
        'memory_mb': memory or facts.get('memtotal_mb'),
        'vcpus': vcpus or facts.get('processor_vcpus'),
        'data_dirs': len(data_dirs),
        'volume_bytes': _volume_bytes(data_dirs, facts.get('mounts')),
        # -e hadoop_sizing=false arrives as a string.
        'sizing': boolean(host.get('hadoop_sizing', defaults.get('sizing', True))),
        'from_smallest': boolean(host.get('hadoop_sizing_from_smallest', defaults.get('from_smallest', False))),
        'configured': dict((section, _config.merge_layers(_config.inventory_layers(host, section), section))
                           for section in _SIZED_SECTIONS),
        # A heap set by hand (0 is the role's default: the advisor's heap).
        'heaps': dict((variable, host[variable]) for dummy, variable in _sizing.HEAP_VARIABLES if host.get(variable)),
    }
    if name in reported:
        record['reported'] = reported[name]
    return record


def sizing(hostvars, hosts, services, skip=None, defaults=None, play_hosts=None, reported=None):
    """The sizing plan of a cluster from every host's variables and facts.

    hostvars: Ansible's hostvars; hosts: the cluster's hosts; services:
    {service: inventory group}; skip: settings and heap variables the
    advisor leaves alone; defaults: values for hosts that do not set them
    (data_dirs, sizing, from_smallest); play_hosts: the hosts of this run
    (default: every host), the others are sized only when their size is
    known without contacting them (declared, or facts held by a fact
    cache); reported: {host: {memory_mb, vcores}} of NodeManagers as the
    ResourceManager reports them, for NodeManagers outside the run.
    """
    defaults = defaults or {}
    in_run = set(hosts if play_hosts is None else play_hosts)
    try:
        records = [_sizing_record(name, hostvars[name], services, defaults, name in in_run, reported or {})
                   for name in hosts]
        return _sizing.plan(records, skip=skip or ())
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError('sizing: %s' % to_text(e))


def reported_nodemanagers(nodes):
    """{host: {memory_mb, vcores}} from the node list of datafleet.hadoop.yarn_info."""
    reported = {}
    for node in nodes or ():
        memory, vcores = node.get('memory_mb'), node.get('vcores')
        if node.get('host') and memory and vcores:
            reported[node['host']] = {'memory_mb': memory, 'vcores': vcores}
    return reported


def zookeeper_ensemble_problems(hosts, hostvars):
    """The problems of the ensemble formed by hosts (their zookeeper_myid and
    inventory zoo.cfg layers), as messages; empty when it can run."""
    try:
        servers = [{'host': host, 'myid': hostvars[host].get('zookeeper_myid'),
                    'config': _config.merge_layers([None, None] + _config.inventory_layers(hostvars[host], 'zoo_cfg'),
                                                   'zoo_cfg')}
                   for host in hosts]
        return _zookeeper.ensemble_problems(servers)
    except _config.ConfigValueError as e:
        raise AnsibleFilterError(to_text(e))


def host_ids(hosts, hostvars, variable):
    """{host: its `variable`} for the hosts that set it, in the order given."""
    return dict((host, hostvars[host][variable]) for host in hosts if variable in hostvars[host])


def hdfs_ha_settings(nameservice, namenodes, journalnodes, quorum, rpc_port=8020, http_port=9870,
                     journal_port=8485, journal_dir=None, fencing='shell(/bin/true)'):
    """{'core_site': ..., 'hdfs_site': ...} of an HA nameservice; namenodes
    as [[host, hdfs_namenode_id], ...], quorum the ZooKeeper servers as host:port,..."""
    pairs = [tuple(pair) for pair in namenodes]
    return {
        'core_site': _ha.core_site(nameservice, quorum),
        'hdfs_site': _ha.hdfs_site(nameservice, pairs, journalnodes, int(rpc_port), int(http_port), int(journal_port),
                                   journal_dir, fencing),
        'replaced': list(_ha.SINGLE_NAMENODE_KEYS),
    }


def yarn_ha_settings(cluster_id, resourcemanagers, quorum, http_port=8088):
    """{'yarn_site': ..., 'replaced': [...]} of HA ResourceManagers;
    resourcemanagers as [[host, yarn_resourcemanager_id], ...]."""
    pairs = [tuple(pair) for pair in resourcemanagers]
    return {'yarn_site': _ha.yarn_site(cluster_id, pairs, quorum, int(http_port)),
            'replaced': list(_ha.SINGLE_RESOURCEMANAGER_KEYS)}


def yarn_ha_problems(hostvars, resourcemanagers, zookeepers, group_names=None):
    """Why the inventory's HA ResourceManagers cannot run (see _ha.resourcemanager_problems)."""
    pairs = [(host, hostvars[host].get('yarn_resourcemanager_id')) for host in resourcemanagers]
    return _ha.resourcemanager_problems(pairs, list(zookeepers), group_names)


def hdfs_ha_problems(nameservice, hostvars, namenodes, journalnodes, zookeepers, group_names=None):
    """Why the inventory's HA nameservice cannot run (see _ha.hdfs_problems)."""
    pairs = [(host, hostvars[host].get('hdfs_namenode_id')) for host in namenodes]
    return _ha.hdfs_problems(nameservice, pairs, list(journalnodes), list(zookeepers), group_names)


def hadoop_security_settings(security, realm='', keytab_dir='/etc/security/keytabs', users=None,
                             rpc_protection='privacy', data_transfer_protection='authentication', native_code=True,
                             signature_secret_file=None):
    """{'core_site': ..., 'hdfs_site': ..., 'yarn_site': ..., 'mapred_site': ...}
    of Hadoop's secure mode (see _security.settings); empty with 'none'."""
    try:
        return _security.settings(security, realm, keytab_dir, users, rpc_protection, data_transfer_protection,
                                  boolean(native_code), signature_secret_file)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError('hadoop_security_settings: %s' % to_text(e))


def hadoop_keytabs(daemons, host, realm, keytab_dir, users, group):
    """The keytabs a host needs for its daemons, as kerberos_keytabs_list
    entries (see _security.keytabs)."""
    try:
        return _security.keytabs(list(daemons), host, realm, keytab_dir, users, group)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError('hadoop_keytabs: %s' % to_text(e))


def hadoop_security_problems(security, realm, keytab_dir):
    """Why the secure-mode variables cannot work (see _security.problems)."""
    return _security.problems(security, realm, keytab_dir)


class FilterModule(object):
    def filters(self):
        return {
            'to_hadoop_xml': to_hadoop_xml,
            'to_properties': to_properties,
            'hadoop_daemon_argv': hadoop_daemon_argv,
            'spark_daemon_argv': spark_daemon_argv,
            'zookeeper_daemon_argv': zookeeper_daemon_argv,
            'systemd_exec': systemd_exec,
            'checksum_from_file': checksum_from_file,
            'unknown_variables': unknown_variables,
            'sizing': sizing,
            'reported_nodemanagers': reported_nodemanagers,
            'merge_layers': merge_layers,
            'daemon_spec': daemon_spec,
            'daemons_reading': daemons_reading,
            'daemons_reloading': daemons_reloading,
            'hdfs_site_changes': hdfs_site_changes,
            'hadoop_changed_properties': hadoop_changed_properties,
            'zookeeper_ensemble_problems': zookeeper_ensemble_problems,
            'host_ids': host_ids,
            'hdfs_ha_settings': hdfs_ha_settings,
            'hdfs_ha_problems': hdfs_ha_problems,
            'yarn_ha_settings': yarn_ha_settings,
            'yarn_ha_problems': yarn_ha_problems,
            'hadoop_security_settings': hadoop_security_settings,
            'hadoop_keytabs': hadoop_keytabs,
            'hadoop_security_problems': hadoop_security_problems,
        }
