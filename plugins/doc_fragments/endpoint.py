# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Options to reach a Hadoop daemon over HTTP or HTTPS.
    DOCUMENTATION = r'''
options:
  validate_certs:
    description:
      - Whether to verify the daemon's TLS certificate when the URL uses HTTPS.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust for HTTPS.
    type: path
  client_cert:
    description:
      - PEM client certificate for mutual TLS.
    type: path
  client_key:
    description:
      - PEM private key of O(client_cert).
    type: path
  use_gssapi:
    description:
      - Authenticate with SPNEGO (Kerberos) using the credential cache of the user
        the module runs as. Needs the C(gssapi) Python library on the managed node.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: int
    default: 30
  conf_dir:
    description:
      - Hadoop configuration directory of the host the module runs on.
      - On a secured cluster the module reaches the daemons as Hadoop's own clients on this host do. When
        C(core-site.xml) sets C(hadoop.security.authentication=kerberos), it logs in once with a service keytab
        that the configuration names (an HDFS daemon's for HDFS, a YARN daemon's for YARN, another service's when
        the host has none) into a private ticket cache, and authenticates with SPNEGO. When a web endpoint's
        policy is C(HTTPS_ONLY), a URL of the daemon's HTTP port is turned into its HTTPS address, verified
        against the PEM file that C(ssl-client.xml) names in C(datafleet.ssl.client.ca.location) unless
        O(ca_path) is given.
    type: path
    default: /etc/hadoop/conf
'''

    # The NameNode's web server, for modules that use JMX or WebHDFS.
    NAMENODE = r'''
options:
  namenode_url:
    description:
      - Base HTTP(S) URL of the NameNode web server.
      - With high availability, the URLs of every NameNode of the nameservice, separated by commas. The module asks the
        active one (C(GET /isActive)) and follows a failover that happens between two of its requests.
    type: str
    default: http://localhost:9870
'''

    # The identity of WebHDFS requests and the attributes of what they write.
    WEBHDFS = r'''
options:
  owner:
    description:
      - Owner to set. Changing an owner needs the HDFS superuser as O(user).
    type: str
  group:
    description:
      - Group to set.
    type: str
  mode:
    description:
      - Octal permission, for example V('1777') (sticky, world-writable) or V('0644').
      - An unquoted YAML number such as V(0644) is read as the octal value it was written as.
    type: raw
  user:
    description:
      - User name sent as C(user.name) with simple authentication. Ignored by a Kerberized cluster,
        which takes the SPNEGO identity (O(use_gssapi)).
    type: str
    default: hdfs
'''
