# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""How the collection's modules reach a secured cluster, read from the
host's Hadoop configuration the way Hadoop's own clients read it.

With Kerberos (core-site.xml's hadoop.security.authentication), a module
logs in once per run with a service keytab of the host: the one named by the
configuration for the service it acts for (HDFS or YARN), with a principal
that keytab holds. The ticket goes to a private cache that the module's
requests (SPNEGO) and the admin tools it runs (KRB5CCNAME) use, removed when
the module ends.

With HTTPS_ONLY web endpoints (dfs.http.policy, yarn.http.policy,
mapreduce.jobhistory.http.policy), a URL of a daemon's HTTP port is turned
into its HTTPS address, checked against the CA certificates that
ssl-client.xml names for clients that are not Java
(datafleet.ssl.client.ca.location, a PEM file).

Without a configuration, or with simple authentication and HTTP, nothing
changes: URLs stay as given and no login happens.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import re
import shutil
import subprocess
import tempfile

from ansible_collections.datafleet.hadoop.plugins.module_utils._config import ConfigValueError, parse_hadoop_xml
from ansible_collections.datafleet.hadoop.plugins.module_utils._kerberos import parse_keytab

CONFIG_FILES = ('core-site.xml', 'hdfs-site.xml', 'yarn-site.xml', 'mapred-site.xml', 'ssl-client.xml')
# The PEM CA file of non-Java clients, in ssl-client.xml beside Java's trust store.
CA_PROPERTY = 'datafleet.ssl.client.ca.location'
HTTPS_ONLY = 'HTTPS_ONLY'

# Each web endpoint: the policy that governs it, its HTTP and HTTPS address
# properties (HA adds .<nameservice>.<id> or .<rm-id> to both), and their
# default ports.
WEB_ENDPOINTS = (
    ('dfs.http.policy', 'dfs.namenode.http-address', 'dfs.namenode.https-address', 9870, 9871),
    ('dfs.http.policy', 'dfs.datanode.http.address', 'dfs.datanode.https.address', 9864, 9865),
    ('dfs.http.policy', 'dfs.journalnode.http-address', 'dfs.journalnode.https-address', 8480, 8481),
    ('yarn.http.policy', 'yarn.resourcemanager.webapp.address', 'yarn.resourcemanager.webapp.https.address',
     8088, 8090),
    ('yarn.http.policy', 'yarn.nodemanager.webapp.address', 'yarn.nodemanager.webapp.https.address', 8042, 8044),
    ('mapreduce.jobhistory.http.policy', 'mapreduce.jobhistory.webapp.address',
     'mapreduce.jobhistory.webapp.https.address', 19888, 19890),
)

# The keytab and principal properties of each service's daemons, in the
# order a module acting for that service prefers them.
SERVICE_KEYTABS = {
    'hdfs': (('dfs.namenode.keytab.file', 'dfs.namenode.kerberos.principal'),
             ('dfs.datanode.keytab.file', 'dfs.datanode.kerberos.principal'),
             ('dfs.journalnode.keytab.file', 'dfs.journalnode.kerberos.principal')),
    'yarn': (('yarn.resourcemanager.keytab', 'yarn.resourcemanager.principal'),
             ('yarn.nodemanager.keytab', 'yarn.nodemanager.principal')),
    'mapred': (('mapreduce.jobhistory.keytab', 'mapreduce.jobhistory.principal'),),
}

_URL = re.compile(r'^(?P<scheme>https?)://(?P<host>\[[^]]+\]|[^:/]+)(?::(?P<port>\d+))?(?P<rest>.*)$', re.I)


class SecurityError(Exception):
    """The host's configuration asks for Kerberos and the module cannot log in; the message says why and what
    to do."""


def _port(address, default):
    match = re.search(r':(\d+)$', (address or '').strip())
    return int(match.group(1)) if match else default


def read_config(conf_dir):
    """{property: value} of the host's client configuration files that exist (later files win)."""
    values = {}
    for name in CONFIG_FILES:
        path = os.path.join(conf_dir, name)
        try:
            with open(path) as handle:
                text = handle.read()
        except (IOError, OSError):
            continue
        try:
            values.update(parse_hadoop_xml(text))
        except ConfigValueError:
            continue
    return values


class ClientSecurity(object):
    """What a module's requests need on the cluster that config (as read_config returns it) describes."""

    def __init__(self, config):
        self.config = config
        self.kerberos = config.get('hadoop.security.authentication', 'simple').strip().lower() == 'kerberos'
        self.ports = self._https_ports()
        self.ca_path = config.get(CA_PROPERTY) or None

    def _https_ports(self):
        """{HTTP port: HTTPS port} of the endpoints whose policy is HTTPS_ONLY."""
        ports = {}
        for policy, http_key, https_key, http_default, https_default in WEB_ENDPOINTS:
            if self.config.get(policy, '').strip().upper() != HTTPS_ONLY:
                continue
            ports[_port(self.config.get(http_key), http_default)] = _port(self.config.get(https_key), https_default)
            # The per-master addresses of HA, by their suffix.
            for key, value in self.config.items():
                if key.startswith(http_key + '.'):
                    https = self.config.get(https_key + key[len(http_key):])
                    if https:
                        ports[_port(value, http_default)] = _port(https, https_default)
        return ports

    def url(self, url):
        """url with the HTTPS scheme and port when it names a daemon's HTTP port on a HTTPS_ONLY endpoint."""
        match = _URL.match(url or '')
        if not match or match.group('scheme').lower() != 'http' or not match.group('port'):
            return url
        port = self.ports.get(int(match.group('port')))
        if port is None:
            return url
        return 'https://%s:%d%s' % (match.group('host'), port, match.group('rest'))

    def keytab(self, service):
        """(keytab path, principal in it) to log in with for service (hdfs, yarn or mapred), preferring that
        service's keytabs, then any other service keytab of the host; SecurityError when none is readable."""
        tried, parsed = [], {}
        order = list(SERVICE_KEYTABS.get(service, ())) + [
            pair for name in sorted(SERVICE_KEYTABS) if name != service for pair in SERVICE_KEYTABS[name]]
        for keytab_key, principal_key in order:
            path, wanted = self.config.get(keytab_key), self.config.get(principal_key)
            if not path or not wanted:
                continue
            if path not in parsed:
                try:
                    with open(path, 'rb') as handle:
                        parsed[path] = [entry['principal'] for entry in parse_keytab(handle.read())]
                except (IOError, OSError, ValueError) as e:
                    parsed[path] = str(getattr(e, 'strerror', None) or e)
            if not isinstance(parsed[path], list):
                if (path, parsed[path]) not in tried:
                    tried.append((path, parsed[path]))
                continue
            principal = matching_principal(wanted, parsed[path])
            if principal:
                return path, principal
            tried.append((path, 'no principal like %s' % wanted))
        raise SecurityError(
            'The cluster uses Kerberos (hadoop.security.authentication in core-site.xml) and this host has no '
            'service keytab to log in with for %s: %s. Run the module on a host that runs one of the cluster\'s '
            'daemons, or give the host its keytabs (site.yml).'
            % (service, '; '.join('%s: %s' % item for item in tried) or 'the configuration names none'))


def matching_principal(wanted, principals):
    """The first of principals that wanted (such as nn/_HOST@REALM, where _HOST is any host) names."""
    primary, dummy, rest = wanted.partition('/')
    host, dummy, realm = rest.partition('@')
    for principal in principals:
        p_primary, dummy, p_rest = principal.partition('/')
        p_host, dummy, p_realm = p_rest.partition('@')
        if p_primary == primary and (host == '_HOST' or p_host == host.lower()) and (not realm or p_realm == realm):
            return principal
    return None


# One login per module run and service: {service: cache path}.
_LOGINS = {}


def login(keytab, principal, kinit='kinit'):
    """Gets a ticket for principal from keytab into a private cache and points KRB5CCNAME at it, for this
    process and the tools it starts; the cache is removed when the process ends."""
    if principal in _LOGINS:
        os.environ['KRB5CCNAME'] = _LOGINS[principal]
        return _LOGINS[principal]
    directory = tempfile.mkdtemp(prefix='datafleet-krb5-')
    atexit.register(shutil.rmtree, directory, True)
    # A plain path: MIT's tools and Java's Kerberos both read it as a file cache.
    cache = os.path.join(directory, 'ccache')
    try:
        process = subprocess.Popen([kinit, '-k', '-t', keytab, '-c', cache, principal], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL='C'))
        out, err = process.communicate()
    except OSError as e:
        raise SecurityError('kinit could not run (%s); install the Kerberos client tools (the kerberos_client role)'
                            % e)
    if process.returncode != 0:
        raise SecurityError('kinit -k -t %s %s failed: %s' % (keytab, principal,
                                                              (err or out).decode('utf-8', 'replace').strip()))
    _LOGINS[principal] = cache
    os.environ['KRB5CCNAME'] = cache
    return cache


# The configuration read once per module run: {conf_dir: ClientSecurity}.
_READ = {}


def for_params(params, service='hdfs'):
    """(ClientSecurity of the host, HTTP options to add) for a module's params: with Kerberos the module is
    logged in (login) and asks for SPNEGO; with HTTPS the CA file of ssl-client.xml is used unless ca_path is
    given."""
    conf_dir = params.get('conf_dir') or '/etc/hadoop/conf'
    if conf_dir not in _READ:
        _READ[conf_dir] = ClientSecurity(read_config(conf_dir))
    security = _READ[conf_dir]
    options = {}
    if security.kerberos:
        keytab, principal = security.keytab(service)
        login(keytab, principal)
        options['use_gssapi'] = True
    if security.ports and security.ca_path and not params.get('ca_path'):
        options['ca_path'] = security.ca_path
    return security, options
