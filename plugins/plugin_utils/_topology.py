# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This plugin_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The cluster topology file: parse, validate, and derive groups and variables.

Pure Python over plain data (what the YAML loader returns), so the
datafleet.hadoop.cluster inventory plugin stays a thin adapter and every rule
here is unit-tested without Ansible's inventory machinery.

Every problem found is collected, so one run of ansible-inventory lists all of
them; each message names the entry or host, the problem and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import difflib
import re

from ansible_collections.datafleet.hadoop.plugins.module_utils import _config
from ansible_collections.datafleet.hadoop.plugins.plugin_utils._hostrange import HostRangeError, expand_hosts

# Each service: its default group name, the variable the roles read that
# group's name from (None: no role yet), and a label for messages.
SERVICES = collections.OrderedDict([
    ('namenode', ('namenodes', 'hadoop_namenode_group', 'NameNode')),
    ('datanode', ('datanodes', 'hadoop_datanode_group', 'DataNode')),
    ('journalnode', ('journalnodes', 'hadoop_journalnode_group', 'JournalNode')),
    ('resourcemanager', ('resourcemanagers', 'hadoop_resourcemanager_group', 'ResourceManager')),
    ('nodemanager', ('nodemanagers', 'hadoop_nodemanager_group', 'NodeManager')),
    ('historyserver', ('historyservers', 'hadoop_historyserver_group', 'MapReduce history server')),
    ('spark_history', ('spark_historyservers', 'hadoop_spark_history_group', 'Spark history server')),
    ('spark_client', ('spark_clients', 'hadoop_spark_client_group', 'Spark client')),
    ('zookeeper', ('zookeepers', 'hadoop_zookeeper_group', 'ZooKeeper server')),
])

# The single-host endpoints the roles read, set when the service has one host.
ENDPOINT_VARS = (
    ('namenode', 'hadoop_namenode_host'),
    ('resourcemanager', 'hadoop_resourcemanager_host'),
    ('historyserver', 'hadoop_historyserver_host'),
    ('spark_history', 'spark_history_host'),
)

# config: sections and the role variables they become at each layer (the
# inventory's layers of module_utils/_config: cluster, group, host).
CONFIG_FILES = collections.OrderedDict((section, variable) for section, (dummy, variable) in _config.SECTIONS.items())
LAYER_SUFFIX = dict(zip(('cluster', 'profile', 'host'), _config.INVENTORY_LAYERS))

VERSIONS = collections.OrderedDict([
    ('hadoop', 'hadoop_version'), ('spark', 'spark_version'), ('zookeeper', 'zookeeper_version'),
])

# Services that must not share a host in a cluster of more than one host, and
# why. cluster.allow_colocation lifts a rule.
EXCLUSIVE = (
    ('namenode', 'datanode',
     "a DataNode's disk and network load slows the NameNode's RPCs for the whole cluster, and "
     "decommissioning the DataNode would take the NameNode host out"),
    ('resourcemanager', 'nodemanager',
     "containers on the host compete with the ResourceManager for memory and CPU, and "
     "decommissioning the NodeManager would take the ResourceManager host out"),
    ('zookeeper', 'datanode',
     "ZooKeeper syncs its transaction log on every write; DataNode disk load delays it into session "
     "expiries and failovers"),
    ('zookeeper', 'nodemanager',
     "container disk and memory load delays ZooKeeper into session expiries and failovers"),
)

# Host ids: the services that need a stable number per host, and the
# variable that carries it. NameNode and ResourceManager ids matter only in HA.
ID_VARS = (
    ('zookeeper', 'zookeeper_myid', None, None),
    ('namenode', 'hdfs_namenode_id', 'nn', 'hdfs'),
    ('resourcemanager', 'yarn_resourcemanager_id', 'rm', 'yarn'),
)
_ID_MAX = 255
# The masters' ids as variables of the whole cluster (Topology._shape_vars).
SHAPE_ID_VARS = {
    'namenode': 'hadoop_namenode_ids',
    'resourcemanager': 'hadoop_resourcemanager_ids',
}

HADOOP_DEFAULT_REPLICATION = 3

CLUSTER_KEYS = ('name', 'versions', 'high_availability', 'config', 'vars', 'allow_colocation')
PROFILE_KEYS = ('services', 'config', 'vars', 'description')
HOST_KEYS = ('profile', 'services', 'rack', 'id', 'config', 'vars')
HA_KEYS = ('hdfs', 'yarn')

_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
_GROUP = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
_VARIABLE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
_RACK = re.compile(r'^(/[A-Za-z0-9_.-]+)+$')
_VERSION = re.compile(r'^[0-9]+(\.[0-9]+)+([.-][A-Za-z0-9.-]+)?$')
_TRAILING_NUMBER = re.compile(r'([0-9]+)[^0-9]*$')

# Host names Hadoop can use: DNS names (RFC 1123) in lower case, or IPv4 addresses.
_IPV4 = re.compile(r'^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$')
_NAME_CHARS = re.compile(r'[^A-Za-z0-9._-]')
_NAME_MAX, _LABEL_MAX = 253, 63
_NO_HOST = "Java's URI parser finds no host in it, so Hadoop cannot address the node"
_LOWER_REASON = ('host names must be lower case (the NameNode matches DataNodes by their lower-case reverse-DNS '
                 'name, and Kerberos principals are lower case)')
# Each kind of bad host name, in the order reported, and how a pattern's
# message counts the names it makes.
_NAME_KINDS = collections.OrderedDict([
    ('length', 'longer than %d characters' % _NAME_MAX),
    ('underscore', "with '_'"),
    ('upper', 'with upper case letters'),
    ('chars', 'with characters a host name cannot have'),
    ('empty', 'with an empty label'),
    ('dash', "with a label that starts or ends with '-'"),
    ('label', 'with a label longer than %d characters' % _LABEL_MAX),
    ('last', 'whose last label starts with a digit'),
])


class TopologyError(ValueError):
    """The topology file has problems; .problems lists each message."""

    def __init__(self, source, problems):
        self.problems = list(problems)
        count = len(self.problems)
        super(TopologyError, self).__init__(
            '%s: %d problem%s in the cluster topology:\n  - %s' % (
                source, count, '' if count == 1 else 's', '\n  - '.join(self.problems)))


def _hint(name, known):
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return " (did you mean '%s'?)" % close[0] if close else ''


def _plural(count, word):
    return '%d %s%s' % (count, word, '' if count == 1 else 's')


def _quoted(chars):
    return ', '.join("'%s'" % c for c in chars)


def _name_problems(name):
    """Why Hadoop cannot use a host name: [(kind, detail)], empty for a good name.

    Hadoop builds URIs from host names (hdfs://name:8020, the DataNode's
    transfer address) and Java's java.net.URI takes a host only as RFC 2396
    allows: letters, digits, '-' inside labels, a last label that starts with a
    letter, or an IPv4 address; for anything else getHost() is null.
    """
    match = _IPV4.match(name)
    if match and all(int(number) <= 255 for number in match.groups()):
        return []
    found = []
    if len(name) > _NAME_MAX:
        found.append(('length', len(name)))
    if '_' in name:
        found.append(('underscore', None))
    if re.search('[A-Z]', name):
        found.append(('upper', None))
    chars = sorted(set(c for c in _NAME_CHARS.findall(name) if c != '_'))
    if chars:
        found.append(('chars', chars))
    labels = name.split('.')
    if '' in labels:
        found.append(('empty', None))
    dashed = [label for label in labels if label.startswith('-') or label.endswith('-')]
    if dashed:
        found.append(('dash', dashed[0]))
    long_labels = [label for label in labels if len(label) > _LABEL_MAX]
    if long_labels:
        found.append(('label', long_labels[0]))
    if len(labels) > 1 and labels[-1][:1].isdigit():
        found.append(('last', (labels[-1], all(label.isdigit() for label in labels))))
    return found


def _name_message(kind, detail, text, several):
    """The problem and the fix for one kind of bad name. text is the host name,
    or, when several is true, the pattern that makes the names (detail is then
    the first bad name's)."""
    if kind == 'length':
        if several:
            return 'a DNS host name has at most %d characters; use shorter names' % _NAME_MAX
        return ('the name is %d characters long and a DNS host name has at most %d; use a shorter name'
                % (detail, _NAME_MAX))
    if kind == 'underscore':
        return "'_' is not allowed in a host name (%s); use '-' instead" % _NO_HOST
    if kind == 'upper':
        return "%s; write it as '%s'" % (_LOWER_REASON, text.lower())
    if kind == 'chars':
        return ("%s %s not allowed in a host name (a DNS host name has only letters, digits, '-' and '.'); use the "
                "host's DNS name" % (_quoted(detail), 'is' if len(detail) == 1 else 'are'))
    if kind == 'empty':
        return ("a host name cannot have an empty label (a '.' at the start or the end, or two in a row); remove "
                "the extra '.'")
    if kind == 'dash':
        if several:
            return "a DNS host name does not allow that; move the '-' inside the label or drop it"
        return ("label '%s' starts or ends with '-', which a DNS host name does not allow; move the '-' inside the "
                "label or drop it" % detail)
    if kind == 'label':
        if several:
            return 'a DNS label (the text between dots) has at most %d characters; use shorter names' % _LABEL_MAX
        return ("label '%s' is %d characters long and a DNS label (the text between dots) has at most %d; use a "
                "shorter name" % (detail, len(detail), _LABEL_MAX))
    # 'last'
    _label, numeric = detail
    if numeric and several:
        return ("read as names, their last label starts with a digit, which Java's URI parser does not take as a "
                "host, so Hadoop cannot address the nodes; correct the range")
    if numeric:
        return ("not an IPv4 address (four numbers from 0 to 255), and read as a name its last label starts with "
                "a digit, which Java's URI parser does not take as a host, so Hadoop cannot address the node; "
                "correct the address")
    return ("the last label of a host name must start with a letter unless the name is an IPv4 address (Java's "
            "URI parser finds no host in such a name, so Hadoop cannot address the node); use the host's DNS name "
            "or its IPv4 address")


def _name_kind(kind, detail):
    """How a pattern's message counts the bad names it makes."""
    if kind == 'last' and detail[1]:
        return 'that are not IPv4 addresses (four numbers from 0 to 255)'
    return _NAME_KINDS[kind]


class Host(object):
    """One host after expansion: its entry's settings and its services."""

    __slots__ = ('name', 'entry', 'profile', 'services', 'rack', 'id', 'config', 'vars', 'ids')

    def __init__(self, name, entry, profile, services, rack, host_id, config, variables):
        self.name = name
        self.entry = entry
        self.profile = profile
        self.services = services
        self.rack = rack
        self.id = host_id
        self.config = config
        self.vars = variables
        self.ids = {}


class Topology(object):
    """A validated cluster topology.

    hosts: {name: Host} in file order; service_hosts: {service: [names]};
    cluster_vars / profile_vars: the variables of the cluster group and of each
    profile group; host_vars(name): one host's own variables.
    """

    def __init__(self, data, source='topology', group_names=None, cluster_group='hadoop',
                 profile_group_prefix=''):
        self.source = source
        self.problems = []
        self.group_names = dict((service, spec[0]) for service, spec in SERVICES.items())
        self.cluster_group = cluster_group
        self.profile_group_prefix = profile_group_prefix
        self.hosts = collections.OrderedDict()
        self.service_hosts = collections.OrderedDict((service, []) for service in SERVICES)
        self.profiles = collections.OrderedDict()
        self.cluster_vars = collections.OrderedDict()
        self.profile_vars = collections.OrderedDict()
        self.name = None
        self.versions = {}
        self.config = {}
        self.vars = {}
        self.ha = {'hdfs': False, 'yarn': False}
        self.allowed_pairs = set()
        self._set_group_names(group_names or {})
        sections = self._mapping(data, 'the topology', ('cluster', 'profiles', 'racks', 'hosts'))
        self._read_cluster(sections.get('cluster'))
        self._read_profiles(sections.get('profiles'))
        self._read_hosts(sections.get('hosts'))
        self._read_racks(sections.get('racks'))
        if self.hosts:
            self._check_services()
            self._check_colocation()
            self._assign_ids()
        if self.problems:
            raise TopologyError(source, self.problems)
        self._build_vars()

    # -- helpers ---------------------------------------------------------

    def _problem(self, message):
        self.problems.append(message)

    def _mapping(self, value, where, allowed, required=()):
        """The value as a dict, with unknown keys reported (typos)."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self._problem('%s must be a mapping, not %s' % (where, type(value).__name__))
            return {}
        for key in value:
            if key not in allowed:
                self._problem("%s: unknown key '%s'%s; known keys: %s"
                              % (where, key, _hint(key, allowed), ', '.join(allowed)))
        for key in required:
            if value.get(key) in (None, ''):
                self._problem('%s: %s is required' % (where, key))
        return value

    def _services(self, value, where):
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self._problem('%s: services must be a list of service names' % where)
            return []
        services = []
        for service in value:
            if service not in SERVICES:
                self._problem("%s: unknown service '%s'%s; services are: %s"
                              % (where, service, _hint(service, SERVICES), ', '.join(SERVICES)))
            elif service not in services:
                services.append(service)
        return services

    def _config(self, value, where):
        config = self._mapping(value, '%s config' % where, tuple(CONFIG_FILES))
        result = collections.OrderedDict()
        for section, settings in config.items():
            if section not in CONFIG_FILES:
                continue
            if settings is None:
                continue
            if not isinstance(settings, dict):
                self._problem('%s config.%s must be a mapping of property names to values' % (where, section))
                continue
            for key, item in settings.items():
                if isinstance(item, (dict, list)):
                    self._problem('%s config.%s: %s must be a single value (string, number or boolean), not a %s'
                                  % (where, section, key, 'mapping' if isinstance(item, dict) else 'list'))
            result[section] = settings
        return result

    def _vars(self, value, where):
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._problem('%s vars must be a mapping of variable names to values' % where)
            return {}
        for name in value:
            if not isinstance(name, str) or not _VARIABLE.match(name):
                self._problem("%s vars: '%s' is not a valid variable name (letters, digits and _, not starting "
                              "with a digit)" % (where, name))
        return value

    def _check_names(self, pattern, names, where=None, among=None):
        """Report the names Hadoop cannot use, once per kind of problem: by
        name for a single host, by pattern for a range, so 40 bad workers make
        one line. among: the names to check (default: all the pattern's).
        Returns the names refused."""
        among = names if among is None else among
        found = collections.OrderedDict()
        for name in among:
            for kind, detail in _name_problems(name):
                found.setdefault(kind, []).append((name, detail))
        prefix = '%s: ' % where if where else ''
        for kind in _NAME_KINDS:
            if kind not in found:
                continue
            bad = found[kind]
            if len(names) == 1:
                name, detail = bad[0]
                self._problem("%shost '%s': %s" % (prefix, name, _name_message(kind, detail, name, False)))
                continue
            count = _plural(len(bad), 'host name')
            if len(bad) < len(names):
                count = '%d of its %d host names (%s)' % (
                    len(bad), len(names), _first_hosts([name for name, _detail in bad], limit=3))
            self._problem("%spattern '%s' makes %s %s; %s" % (
                prefix, pattern, count, _name_kind(kind, bad[0][1]), _name_message(kind, bad[0][1], pattern, True)))
        return set(name for bad in found.values() for name, _detail in bad)

    def _set_group_names(self, overrides):
        for service, name in overrides.items():
            if service not in SERVICES:
                self._problem("group_names: unknown service '%s'%s; services are: %s"
                              % (service, _hint(service, SERVICES), ', '.join(SERVICES)))
            elif not isinstance(name, str) or not _GROUP.match(name):
                self._problem("group_names.%s: '%s' is not a valid group name" % (service, name))
            else:
                self.group_names[service] = name
        if not isinstance(self.cluster_group, str) or not _GROUP.match(self.cluster_group):
            self._problem("cluster_group: '%s' is not a valid group name" % (self.cluster_group,))
        seen = {}
        for service, name in self.group_names.items():
            if name == self.cluster_group or name in seen:
                self._problem("group_names: services '%s' and '%s' both use group '%s'; give each its own group"
                              % (seen.get(name, 'cluster_group'), service, name))
            seen[name] = service

    # -- sections --------------------------------------------------------

    def _read_cluster(self, value):
        if value is None:
            self._problem('cluster is required: give at least cluster.name')
            return
        cluster = self._mapping(value, 'cluster', CLUSTER_KEYS, required=('name',))
        name = cluster.get('name')
        if name not in (None, '') and (not isinstance(name, str) or not _NAME.match(name)):
            self._problem("cluster.name '%s' must be letters, digits, '.', '_' or '-'" % (name,))
        self.name = name
        versions = self._mapping(cluster.get('versions'), 'cluster.versions', tuple(VERSIONS))
        for product, version in versions.items():
            if product not in VERSIONS:
                continue
            if not isinstance(version, str):
                self._problem("cluster.versions.%s: %r must be a quoted string like \"3.5.0\" (YAML reads an "
                              "unquoted 3.5 as a number)" % (product, version))
            elif not _VERSION.match(version):
                self._problem("cluster.versions.%s: '%s' is not a version like 3.5.0" % (product, version))
        self.versions = dict((k, v) for k, v in versions.items() if k in VERSIONS)
        ha = self._mapping(cluster.get('high_availability'), 'cluster.high_availability', HA_KEYS)
        for key in HA_KEYS:
            if key in ha:
                if not isinstance(ha[key], bool):
                    self._problem('cluster.high_availability.%s must be true or false, not %r' % (key, ha[key]))
                else:
                    self.ha[key] = ha[key]
        self.config = self._config(cluster.get('config'), 'cluster')
        self.vars = self._vars(cluster.get('vars'), 'cluster')
        pairs = cluster.get('allow_colocation') or []
        if not isinstance(pairs, list):
            pairs = [pairs]
        for pair in pairs:
            if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(s, str) for s in pair):
                self._problem('cluster.allow_colocation: each entry must be a pair of services, like '
                              '[namenode, datanode]; got %r' % (pair,))
                continue
            self._services(pair, 'cluster.allow_colocation')
            self.allowed_pairs.add(frozenset(pair))

    def _read_profiles(self, value):
        if value is None:
            self._problem('profiles is required: define at least one profile with its services, '
                          'e.g. worker: {services: [datanode, nodemanager]}')
            return
        if not isinstance(value, dict):
            self._problem('profiles must be a mapping of profile names to profiles')
            return
        taken = set(self.group_names.values()) | set([self.cluster_group])
        for name, profile in value.items():
            where = "profile '%s'" % name
            if not isinstance(name, str) or not _GROUP.match(self.profile_group_prefix + name):
                self._problem("%s: a profile name becomes a group name: letters, digits and _ only" % where)
                continue
            if self.profile_group_prefix + name in taken:
                self._problem("%s: its group '%s' is also a service or cluster group; rename the profile or set "
                              "profile_group_prefix" % (where, self.profile_group_prefix + name))
            profile = self._mapping(profile, where, PROFILE_KEYS)
            services = self._services(profile.get('services'), where)
            if not services and 'services' not in profile:
                self._problem('%s: services is required, e.g. services: [datanode, nodemanager]' % where)
            self.profiles[name] = {
                'services': services,
                'config': self._config(profile.get('config'), where),
                'vars': self._vars(profile.get('vars'), where),
            }

    def _read_hosts(self, value):
        if not value:
            self._problem("hosts is required: map host names or patterns to a profile, "
                          "e.g. 'worker[01:40].example.com': {profile: worker}")
            return
        if not isinstance(value, dict):
            self._problem('hosts must be a mapping of host names or patterns to host settings')
            return
        # Entries with a profile first, then those without, which add settings
        # to hosts another entry gives a profile (YAML does not promise order).
        deferred = []
        for pattern, entry in value.items():
            where = "host '%s'" % pattern
            try:
                names = expand_hosts(pattern)
            except HostRangeError as e:
                self._problem(str(e))
                continue
            # A bad name is reported here, once per entry, and still added, so
            # racks and settings entries that name it find it.
            refused = self._check_names(pattern, names)
            entry = self._mapping(entry, where, HOST_KEYS)
            profile = entry.get('profile')
            if profile in (None, ''):
                deferred.append((pattern, names, entry, refused))
                continue
            if profile not in self.profiles:
                self._problem("%s: unknown profile '%s'%s; profiles are: %s"
                              % (where, profile, _hint(profile, self.profiles), ', '.join(self.profiles) or 'none'))
                profile = None
            self._add_hosts(pattern, names, entry, profile)
        for pattern, names, entry, refused in deferred:
            # A refused name is not also "without a profile": its fix is its spelling.
            missing = [name for name in names if name not in self.hosts and name not in refused]
            if missing:
                self._problem("host '%s': profile is required (an entry without a profile only adds settings to "
                              "hosts that another entry gives a profile; %s %s none)"
                              % (pattern, _first_hosts(missing), 'has' if len(missing) == 1 else 'have'))
            else:
                self._read_override(pattern, [name for name in names if name in self.hosts], entry)

    def _add_hosts(self, pattern, names, entry, profile):
        where = "host '%s'" % pattern
        services = list(self.profiles[profile]['services']) if profile else []
        for service in self._services(entry.get('services'), where):
            if service not in services:
                services.append(service)
        rack = self._rack(entry.get('rack'), where)
        host_id = self._id(entry.get('id'), where, len(names))
        config = self._config(entry.get('config'), where)
        variables = self._vars(entry.get('vars'), where)
        for name in names:
            if name in self.hosts:
                first = self.hosts[name].entry
                self._problem("host '%s' is listed twice with a profile: by '%s' and by '%s'; give its profile "
                              "once (an entry without a profile can add per-host settings)"
                              % (name, first, pattern))
                continue
            self.hosts[name] = Host(name, pattern, profile, list(services), rack, host_id, dict(config),
                                    dict(variables))
            for service in services:
                self.service_hosts[service].append(name)

    def _rack(self, rack, where):
        if rack is not None and (not isinstance(rack, str) or not _RACK.match(rack)):
            self._problem("%s: rack '%s' must be a path like /dc1/rack1" % (where, rack))
            return None
        return rack

    def _id(self, host_id, where, count):
        if host_id is not None and (isinstance(host_id, bool) or not isinstance(host_id, int)
                                    or not 1 <= host_id <= _ID_MAX):
            self._problem('%s: id %r must be a whole number from 1 to %d' % (where, host_id, _ID_MAX))
            return None
        if host_id is not None and count > 1:
            self._problem('%s: id %s is given to a pattern of %s; ids are per host, give each host its own '
                          'entry, or leave id out to take the number from the host name'
                          % (where, host_id, _plural(count, 'host')))
            return None
        return host_id

    def _read_override(self, pattern, names, entry):
        """Settings for hosts a range listed before: services are added,
        config and vars merged over the earlier entry's."""
        where = "host '%s'" % pattern
        services = self._services(entry.get('services'), where)
        rack = self._rack(entry.get('rack'), where)
        host_id = self._id(entry.get('id'), where, len(names))
        config = self._config(entry.get('config'), where)
        variables = self._vars(entry.get('vars'), where)
        for name in names:
            host = self.hosts[name]
            for service in services:
                if service not in host.services:
                    host.services.append(service)
                    self.service_hosts[service].append(name)
            if rack is not None:
                if host.rack is not None and host.rack != rack:
                    self._problem("host '%s' is in two racks: %s and %s; a host belongs to one rack"
                                  % (name, host.rack, rack))
                host.rack = rack
            if host_id is not None:
                host.id = host_id
            for section, settings in config.items():
                host.config[section] = dict(host.config.get(section) or {}, **settings)
            host.vars.update(variables)

    def _read_racks(self, value):
        if value is None:
            return
        if not isinstance(value, dict):
            self._problem('racks must be a mapping of rack paths to lists of host names or patterns')
            return
        for rack, patterns in value.items():
            where = "racks '%s'" % rack
            if not isinstance(rack, str) or not _RACK.match(rack):
                self._problem("%s: a rack must be a path like /dc1/rack1" % where)
                continue
            if isinstance(patterns, str):
                patterns = [patterns]
            if not isinstance(patterns, list):
                self._problem('%s: give a list of host names or patterns' % where)
                continue
            for pattern in patterns:
                try:
                    names = expand_hosts(pattern)
                except HostRangeError as e:
                    self._problem('%s: %s' % (where, e))
                    continue
                # A bad name listed in hosts was reported there; one that is not
                # is reported here for its spelling, not also as missing.
                refused = self._check_names(pattern, names, where, [name for name in names if name not in self.hosts])
                for name in names:
                    host = self.hosts.get(name)
                    if host is None:
                        if name not in refused:
                            self._problem("%s: host '%s' is not in hosts; add it to hosts or remove it from the "
                                          "rack" % (where, name))
                    elif host.rack is not None and host.rack != rack:
                        self._problem("host '%s' is in two racks: %s and %s; a host belongs to one rack"
                                      % (name, host.rack, rack))
                    else:
                        host.rack = rack

    # -- whole-cluster rules -----------------------------------------------

    def _count(self, service):
        return len(self.service_hosts[service])

    def _check_services(self):
        namenodes, datanodes = self._count('namenode'), self._count('datanode')
        journalnodes, zookeepers = self._count('journalnode'), self._count('zookeeper')
        rms, nms = self._count('resourcemanager'), self._count('nodemanager')
        if namenodes == 0:
            self._problem('no host runs a NameNode: add namenode to the services of a profile (e.g. master)')
        if datanodes == 0:
            self._problem('no host runs a DataNode: add datanode to the services of a profile (e.g. worker)')
        if self.ha['hdfs']:
            if namenodes < 2:
                self._problem('high_availability.hdfs needs at least 2 NameNodes, found %d; give the namenode '
                              'service to a second master' % namenodes)
            if journalnodes < 3 or journalnodes % 2 == 0:
                self._problem('high_availability.hdfs needs an odd number of JournalNodes, at least 3, found %d; '
                              'give the journalnode service to %s' % (journalnodes, _odd_fix(journalnodes)))
            if zookeepers < 3 or zookeepers % 2 == 0:
                self._problem('high_availability.hdfs needs an odd number of ZooKeeper servers (automatic '
                              'failover), at least 3, found %d; give the zookeeper service to %s'
                              % (zookeepers, _odd_fix(zookeepers)))
        else:
            if namenodes > 1:
                self._problem('%d hosts run a NameNode (%s) but high_availability.hdfs is not true; keep one '
                              'NameNode or set cluster.high_availability.hdfs: true'
                              % (namenodes, ', '.join(self.service_hosts['namenode'])))
            if journalnodes:
                self._problem('JournalNodes (%s) serve only an HA NameNode pair; set '
                              'cluster.high_availability.hdfs: true or remove the journalnode service'
                              % ', '.join(self.service_hosts['journalnode']))
        if self.ha['yarn']:
            if rms < 2:
                self._problem('high_availability.yarn needs at least 2 ResourceManagers, found %d; give the '
                              'resourcemanager service to a second master' % rms)
            if (zookeepers < 3 or zookeepers % 2 == 0) and not self.ha['hdfs']:
                self._problem('high_availability.yarn needs an odd number of ZooKeeper servers (leader election '
                              'and state store), at least 3, found %d; give the zookeeper service to %s'
                              % (zookeepers, _odd_fix(zookeepers)))
        elif rms > 1:
            self._problem('%d hosts run a ResourceManager (%s) but high_availability.yarn is not true; keep one '
                          'or set cluster.high_availability.yarn: true'
                          % (rms, ', '.join(self.service_hosts['resourcemanager'])))
        if zookeepers and zookeepers % 2 == 0 and not (self.ha['hdfs'] or self.ha['yarn']):
            self._problem('%d ZooKeeper servers: an even ensemble survives no more failures than one server less; '
                          'use %s' % (zookeepers, _odd_fix(zookeepers)))
        if nms and not rms:
            self._problem('NodeManagers (%s) without a ResourceManager: give the resourcemanager service to a master'
                          % _first_hosts(self.service_hosts['nodemanager']))
        if rms and not nms:
            self._problem('a ResourceManager without NodeManagers: give the nodemanager service to the workers')
        for service in ('historyserver', 'spark_history'):
            if self._count(service) > 1:
                self._problem('%d hosts run the %s (%s); it runs on one host'
                              % (self._count(service), SERVICES[service][2], ', '.join(self.service_hosts[service])))
        replication = self._replication()
        if replication is not None and datanodes and replication > datanodes:
            self._problem('dfs.replication is %d but only %s run a DataNode: every block would stay '
                          'under-replicated; add DataNodes or set config.hdfs_site dfs.replication to at most %d'
                          % (replication, _plural(datanodes, 'host'), datanodes))

    def _replication(self):
        """dfs.replication as the NameNode will read it: host, then profile, then cluster config."""
        layers = [self.config]
        if self.service_hosts['namenode']:
            host = self.hosts[self.service_hosts['namenode'][0]]
            if host.profile:
                layers.append(self.profiles[host.profile]['config'])
            layers.append(host.config)
        merged = _config.merge_layers([{'dfs.replication': HADOOP_DEFAULT_REPLICATION}, None]
                                      + [layer.get('hdfs_site') for layer in layers], 'hdfs_site')
        value = merged['dfs.replication']
        try:
            value = int(value)
        except (TypeError, ValueError):
            self._problem("config.hdfs_site dfs.replication '%s' must be a whole number" % (value,))
            return None
        if value < 1:
            self._problem('config.hdfs_site dfs.replication must be at least 1, not %d' % value)
            return None
        return value

    def _check_colocation(self):
        if len(self.hosts) < 2:
            return
        for first, second, why in EXCLUSIVE:
            if frozenset((first, second)) in self.allowed_pairs:
                continue
            shared = [h.name for h in self.hosts.values() if first in h.services and second in h.services]
            if shared:
                self._problem('%s: %s and %s must not share a host: %s. Move one of them to another profile, or '
                              'accept it with cluster.allow_colocation: [[%s, %s]]'
                              % (_first_hosts(shared), SERVICES[first][2], SERVICES[second][2], why, first, second))

    def _assign_ids(self):
        """A stable number per host for the services that need one: the entry's
        id, or else the last number in the host's first name label (zk03 -> 3).
        Neither depends on the order of the file, so adding or removing hosts
        leaves the other hosts' ids alone."""
        for service, variable, prefix, ha_key in ID_VARS:
            names = self.service_hosts[service]
            if ha_key and not self.ha[ha_key]:
                continue
            owners = {}
            for name in names:
                host = self.hosts[name]
                number = host.id
                if number is None:
                    match = _TRAILING_NUMBER.search(name.split('.')[0])
                    number = int(match.group(1)) if match else None
                if number is None or not 1 <= number <= _ID_MAX:
                    self._problem("host '%s': the %s needs an id from 1 to %d and the host name has no such number; "
                                  "set id: on the host's entry" % (name, SERVICES[service][2], _ID_MAX))
                    continue
                if number in owners:
                    self._problem("hosts '%s' and '%s' would both get %s id %d; set a distinct id: on one of them"
                                  % (owners[number], name, SERVICES[service][2], number))
                    continue
                owners[number] = name
                host.ids[variable] = '%s%d' % (prefix, number) if prefix else number

    # -- output ----------------------------------------------------------

    def group_of(self, service):
        return self.group_names[service]

    def profile_group(self, profile):
        return self.profile_group_prefix + profile

    def _build_vars(self):
        out = self.cluster_vars
        out['hadoop_cluster_name'] = self.name
        out['hadoop_hdfs_ha'] = self.ha['hdfs']
        out['hadoop_yarn_ha'] = self.ha['yarn']
        out['hadoop_cluster_group'] = self.cluster_group
        for service, (_default, variable, _label) in SERVICES.items():
            if variable:
                out[variable] = self.group_names[service]
        for product, version in self.versions.items():
            out[VERSIONS[product]] = version
        for service, variable in ENDPOINT_VARS:
            if len(self.service_hosts[service]) == 1:
                out[variable] = self.service_hosts[service][0]
        out.update(self._shape_vars())
        _apply_config(out, self.config, 'cluster')
        out.update(self.vars)
        for name, profile in self.profiles.items():
            variables = collections.OrderedDict()
            _apply_config(variables, profile['config'], 'profile')
            variables.update(profile['vars'])
            self.profile_vars[name] = variables

    def _shape_vars(self):
        """The masters every host's configuration names, as variables of the
        whole cluster: a run whose inventory holds only some hosts (an AWX
        job slice keeps only its own hosts in the groups) renders the same
        files from them. In the order of the groups, as the roles' defaults
        derive them from the groups."""
        out = collections.OrderedDict()
        for service, variable, _prefix, ha_key in ID_VARS:
            if ha_key and self.ha[ha_key]:
                # A plain dict: Ansible stores no OrderedDict in a variable.
                out[SHAPE_ID_VARS[service]] = dict(
                    (name, self.hosts[name].ids[variable]) for name in self.service_hosts[service]
                    if variable in self.hosts[name].ids)
        if self.ha['hdfs']:
            out['hadoop_journalnode_hosts'] = list(self.service_hosts['journalnode'])
        if self.service_hosts['zookeeper']:
            out['hadoop_zookeeper_quorum'] = ','.join(
                '%s:%s' % (name, self._host_var(name, 'zookeeper_client_port', 2181))
                for name in self.service_hosts['zookeeper'])
        return out

    def _host_var(self, name, variable, default):
        """A variable as the host sees it in the inventory: its own, its profile's or the cluster's."""
        host = self.hosts[name]
        for layer in (host.vars, self.profiles[host.profile]['vars'], self.vars):
            if variable in layer:
                return layer[variable]
        return default

    def host_vars(self, name):
        host = self.hosts[name]
        out = collections.OrderedDict()
        out['hadoop_profile'] = host.profile
        if host.rack:
            out['hadoop_rack'] = host.rack
        out.update(host.ids)
        _apply_config(out, host.config, 'host')
        out.update(host.vars)
        return out

    def host_groups(self, name):
        """The service groups and the profile group of one host."""
        host = self.hosts[name]
        return [self.group_names[s] for s in host.services] + [self.profile_group(host.profile)]


def _apply_config(out, config, layer):
    for section, settings in config.items():
        out[CONFIG_FILES[section] + LAYER_SUFFIX[layer]] = dict(settings)


def _odd_fix(count):
    if count < 3:
        return '3 hosts'
    return '%d or %d hosts' % (count - 1, count + 1) if count % 2 == 0 else '%d hosts' % count


def _first_hosts(names, limit=5):
    shown = ', '.join(names[:limit])
    return shown + (' and %d more' % (len(names) - limit) if len(names) > limit else '')
