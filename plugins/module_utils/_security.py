# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Hadoop's secure mode (Kerberos): the settings of core-site.xml,
hdfs-site.xml, yarn-site.xml and mapred-site.xml, the keytabs each host needs
for the daemons it runs, and the input refused before any host changes.

Principals name the host as _HOST, which each daemon replaces with its own
host name, lower-cased; the keytabs hold the same names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import posixpath
import re

from ansible_collections.datafleet.hadoop.plugins.module_utils import _daemons

MODES = ('none', 'kerberos')

# The primary (first part) of each daemon's principal. The Secondary NameNode
# and the failover controllers log in as the NameNode does.
PRIMARIES = collections.OrderedDict([
    ('namenode', 'nn'),
    ('secondarynamenode', 'nn'),
    ('zkfc', 'nn'),
    ('datanode', 'dn'),
    ('journalnode', 'jn'),
    ('resourcemanager', 'rm'),
    ('nodemanager', 'nm'),
    ('historyserver', 'jhs'),
    ('spark_history', 'spark'),
    ('zookeeper', 'zookeeper'),
])
# Every web endpoint (SPNEGO) uses this primary.
HTTP_PRIMARY = 'HTTP'

# The service whose user runs each daemon (hdfs, yarn, mapred, spark,
# zookeeper): the daemon map's, and the Secondary NameNode's, which the
# collection does not run.
SERVICES = dict(((name, daemon.service) for name, daemon in _daemons.DAEMONS.items()), secondarynamenode='hdfs')

# The daemons whose web endpoint authenticates with SPNEGO (they read the
# HTTP principal's keytab). Spark 4's history server cannot run Hadoop's
# authentication filter (docs/security.md) and the failover controllers and
# ZooKeeper serve no Hadoop web endpoint.
WEB_DAEMONS = ('namenode', 'secondarynamenode', 'datanode', 'journalnode', 'resourcemanager', 'nodemanager',
               'historyserver')
SPNEGO_KEYTAB = 'spnego.service.keytab'
# A keytab read by one daemon's user, and the HTTP keytab read by them all
# through the hadoop group.
SERVICE_KEYTAB_MODE = '0400'
SPNEGO_KEYTAB_MODE = '0440'

# ZooKeeper's servers call no Hadoop daemon, so their principal needs no
# local user in Hadoop; HTTP is no service's user either.
_UNMAPPED = ('zookeeper',)
_REALM = re.compile(r'^[A-Z0-9]([A-Z0-9.-]*[A-Z0-9])?$')
_AUTHENTICATION_FILTER = 'org.apache.hadoop.security.AuthenticationFilterInitializer'
HTTPS_ONLY = 'HTTPS_ONLY'


def principal(primary, realm, host='_HOST'):
    """primary/host@realm; host _HOST lets each daemon name itself."""
    return '%s/%s@%s' % (primary, host, realm)


def keytab_path(keytab_dir, daemon):
    """The keytab of the daemon's service user, such as <dir>/hdfs.service.keytab."""
    return posixpath.join(keytab_dir, '%s.service.keytab' % _service(daemon))


def spnego_keytab_path(keytab_dir):
    return posixpath.join(keytab_dir, SPNEGO_KEYTAB)


def _service(daemon):
    if daemon not in PRIMARIES:
        raise ValueError('%r is not a daemon with a Kerberos principal; known: %s'
                         % (daemon, ', '.join(PRIMARIES)))
    return SERVICES[daemon]


def _user(users, service):
    user = (users or {}).get(service)
    if not user:
        raise ValueError('no user given for the %s service (users: %s)' % (service, ', '.join(sorted(users or {}))))
    return user


def keytabs(daemons, host, realm, keytab_dir, users, group):
    """The keytabs one host needs for the daemons it runs, as entries of
    datafleet.hadoop.kerberos_keytabs's kerberos_keytabs_list: one per
    service user, holding the principals of that user's daemons on this host
    (owner that user, mode 0400), and the HTTP principal's keytab (owner
    root, group the hadoop group, mode 0440) when a daemon serves a web
    endpoint. Sorted by path.

    users: {service: user} for hdfs, yarn, mapred, spark and zookeeper (those
    of the daemons given)."""
    host = host.lower()
    by_path = {}
    for daemon in daemons:
        path = keytab_path(keytab_dir, daemon)
        dummy, names = by_path.setdefault(path, (_user(users, SERVICES[daemon]), set()))
        names.add(principal(PRIMARIES[daemon], realm, host))
    entries = [{'path': path, 'principals': sorted(names), 'owner': owner, 'group': group,
                'mode': SERVICE_KEYTAB_MODE}
               for path, (owner, names) in by_path.items()]
    if any(daemon in WEB_DAEMONS for daemon in daemons):
        entries.append({'path': spnego_keytab_path(keytab_dir), 'principals': [principal(HTTP_PRIMARY, realm, host)],
                        'owner': 'root', 'group': group, 'mode': SPNEGO_KEYTAB_MODE})
    return sorted(entries, key=lambda entry: entry['path'])


def auth_to_local(realm, users):
    """hadoop.security.auth_to_local: the service principals of the realm
    (any host) mapped to their service users, one rule per line, then
    DEFAULT (other principals of the realm map to their first part)."""
    escaped = realm.replace('.', '\\.')
    rules, seen = [], set()
    for daemon, primary in PRIMARIES.items():
        if primary in seen or daemon in _UNMAPPED:
            continue
        seen.add(primary)
        rules.append('RULE:[2:$1@$0](%s@%s)s/.*/%s/' % (primary, escaped, _user(users, SERVICES[daemon])))
    return '\n'.join(rules + ['DEFAULT'])


def settings(security, realm='', keytab_dir='/etc/security/keytabs', users=None, rpc_protection='privacy',
             data_transfer_protection='authentication', native_code=True, signature_secret_file=None):
    """{'core_site': ..., 'hdfs_site': ..., 'yarn_site': ..., 'mapred_site': ...}
    of secure mode; every section empty with security 'none'.

    DataNodes run without jsvc on their usual ports, which Hadoop allows with
    SASL on data transfer (data_transfer_protection) and HTTPS-only web
    endpoints. Without native code (native_code false) YARN's log
    aggregation is off: it needs libhadoop in secure mode."""
    if security not in MODES:
        raise ValueError('security must be one of %s, not %r' % (', '.join(MODES), security))
    if security == 'none':
        return {'core_site': {}, 'hdfs_site': {}, 'yarn_site': {}, 'mapred_site': {}}
    http = principal(HTTP_PRIMARY, realm)
    spnego = spnego_keytab_path(keytab_dir)
    core_site = {
        'hadoop.security.authentication': 'kerberos',
        'hadoop.security.authorization': True,
        'hadoop.rpc.protection': rpc_protection,
        'hadoop.security.auth_to_local': auth_to_local(realm, users),
        'hadoop.http.filter.initializers': _AUTHENTICATION_FILTER,
        'hadoop.http.authentication.type': 'kerberos',
        'hadoop.http.authentication.kerberos.principal': http,
        'hadoop.http.authentication.kerberos.keytab': spnego,
        'hadoop.http.authentication.simple.anonymous.allowed': False,
    }
    if signature_secret_file:
        core_site['hadoop.http.authentication.signature.secret.file'] = signature_secret_file
    hdfs_site = {
        'dfs.block.access.token.enable': True,
        'dfs.namenode.kerberos.principal': principal(PRIMARIES['namenode'], realm),
        'dfs.namenode.keytab.file': keytab_path(keytab_dir, 'namenode'),
        'dfs.namenode.kerberos.internal.spnego.principal': http,
        'dfs.web.authentication.kerberos.principal': http,
        'dfs.web.authentication.kerberos.keytab': spnego,
        'dfs.datanode.kerberos.principal': principal(PRIMARIES['datanode'], realm),
        'dfs.datanode.keytab.file': keytab_path(keytab_dir, 'datanode'),
        'dfs.journalnode.kerberos.principal': principal(PRIMARIES['journalnode'], realm),
        'dfs.journalnode.keytab.file': keytab_path(keytab_dir, 'journalnode'),
        'dfs.journalnode.kerberos.internal.spnego.principal': http,
        # SASL on the DataNodes' data transfer; 'privacy' encrypts it, so
        # dfs.encrypt.data.transfer is not needed.
        'dfs.data.transfer.protection': data_transfer_protection,
        'dfs.http.policy': HTTPS_ONLY,
    }
    yarn_site = {
        'yarn.resourcemanager.principal': principal(PRIMARIES['resourcemanager'], realm),
        'yarn.resourcemanager.keytab': keytab_path(keytab_dir, 'resourcemanager'),
        'yarn.resourcemanager.webapp.spnego-principal': http,
        'yarn.resourcemanager.webapp.spnego-keytab-file': spnego,
        'yarn.nodemanager.principal': principal(PRIMARIES['nodemanager'], realm),
        'yarn.nodemanager.keytab': keytab_path(keytab_dir, 'nodemanager'),
        'yarn.nodemanager.webapp.spnego-principal': http,
        'yarn.nodemanager.webapp.spnego-keytab-file': spnego,
        'yarn.http.policy': HTTPS_ONLY,
    }
    if not native_code:
        # Log aggregation goes through SecureIOUtils, which stops the
        # NodeManager in secure mode without libhadoop (docs/security.md).
        yarn_site['yarn.log-aggregation-enable'] = False
    mapred_site = {
        'mapreduce.jobhistory.principal': principal(PRIMARIES['historyserver'], realm),
        'mapreduce.jobhistory.keytab': keytab_path(keytab_dir, 'historyserver'),
        'mapreduce.jobhistory.webapp.spnego-principal': http,
        'mapreduce.jobhistory.webapp.spnego-keytab-file': spnego,
        'mapreduce.jobhistory.http.policy': HTTPS_ONLY,
    }
    return {'core_site': core_site, 'hdfs_site': hdfs_site, 'yarn_site': yarn_site, 'mapred_site': mapred_site}


def problems(security, realm, keytab_dir):
    """Why the secure-mode variables cannot work, as messages naming the
    variable and the fix; empty when they can (or security is 'none')."""
    if security not in MODES:
        return ['hadoop_security is %r; it must be one of %s' % (security, ', '.join(MODES))]
    if security == 'none':
        return []
    found = []
    if not realm:
        found.append('hadoop_security is kerberos but hadoop_kerberos_realm is empty; set it to the realm of the '
                     'KDC, such as EXAMPLE.COM')
    elif not _REALM.match(realm):
        fix = realm.upper() if _REALM.match(realm.upper()) else 'a name such as EXAMPLE.COM'
        found.append('hadoop_kerberos_realm %r must be upper-case letters, digits, dots and hyphens, starting and '
                     'ending with a letter or digit (realm names are case-sensitive, and the service principals '
                     'and auth_to_local rules name it as given); set hadoop_kerberos_realm to %s, and the KDC\'s '
                     'realm to the same name' % (realm, fix))
    if not keytab_dir or not posixpath.isabs(keytab_dir):
        found.append('hadoop_keytab_dir %r must be an absolute path, such as /etc/security/keytabs' % (keytab_dir,))
    return found
