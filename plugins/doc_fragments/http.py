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
'''

    # Options of modules that run Hadoop admin tools.
    CLI = r'''
options:
  hadoop_home:
    description:
      - Hadoop installation directory (the official layout, with C(share/hadoop)).
    type: path
    default: /opt/hadoop/current
  conf_dir:
    description:
      - Hadoop configuration directory.
    type: path
    default: /etc/hadoop/conf
  java_home:
    description:
      - Java installation to run the admin tool with. Defaults to the C(java) found on E(PATH).
    type: path
'''

    # Attributes of modules that change state.
    ACTIONABLE = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  idempotent:
    description: When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: full
'''

    # Attributes of read-only _info modules.
    INFO = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: This module only reads state.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
  idempotent:
    description: When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: full
'''
