# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Certificates, keys and Java key stores through the openssl and keytool
commands of the host (no Python library beyond the standard one is needed
there).

Passwords reach the tools through the environment (openssl's env:NAME,
keytool's -storepass:env), never on a command line, where any user of the
host could read them in the process list.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import calendar
import os
import re
import shutil
import tempfile
import time

PASSWORD_VARIABLE = 'DATAFLEET_TLS_PASSWORD'
# keytool refuses shorter store passwords.
MIN_PASSWORD = 6
KEY_ALIAS = 'hadoop'
CA_ALIAS = 'ca'

_PEM = re.compile(r'-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----', re.S)
_FIELD = re.compile(r'^(subject|issuer|notAfter|sha256 Fingerprint)=(.*)$', re.I)


class ToolError(Exception):
    """A tool failed; the message names the command's purpose and its error output."""


def split_pem(text, kind='CERTIFICATE'):
    """The PEM blocks of one kind in text, each ending with a newline."""
    return [match.group(0).replace('\r\n', '\n') + '\n' for match in _PEM.finditer(text or '')
            if match.group(1) == kind]


def parse_not_after(value):
    """openssl's date (such as 'Dec  6 11:00:00 2027 GMT') as seconds since the epoch."""
    return calendar.timegm(time.strptime(' '.join(value.replace(' GMT', '').split()), '%b %d %H:%M:%S %Y'))


def parse_x509(text):
    """The fields that `openssl x509 -noout -subject -issuer -enddate -fingerprint -sha256 -ext subjectAltName
    -nameopt RFC2253` prints: {'subject', 'issuer', 'not_after' (seconds since the epoch), 'fingerprint',
    'names' (the DNS names of subjectAltName, in order)}."""
    facts = {'names': []}
    lines = (text or '').splitlines()
    for index, line in enumerate(lines):
        match = _FIELD.match(line.strip())
        if match:
            key = match.group(1).lower()
            value = match.group(2).strip()
            if key == 'notafter':
                facts['not_after'] = parse_not_after(value)
            elif key.endswith('fingerprint'):
                facts['fingerprint'] = value.upper()
            else:
                facts[key] = value
        elif line.strip() == 'X509v3 Subject Alternative Name:' and index + 1 < len(lines):
            facts['names'] = [entry.strip()[4:] for entry in lines[index + 1].split(',')
                              if entry.strip().startswith('DNS:')]
    missing = [key for key in ('subject', 'issuer', 'not_after', 'fingerprint') if key not in facts]
    if missing:
        raise ToolError('openssl printed no %s for the certificate: %s' % (', '.join(missing), text.strip()))
    return facts


def common_name(subject):
    """The CN of an RFC 2253 subject (CN=host.example.com,O=...), or ''."""
    for part in subject.split(','):
        name, dummy, value = part.strip().partition('=')
        if name.upper() == 'CN':
            return value
    return ''


def expires_within(facts, days, now=None):
    """Whether the certificate ends within days from now."""
    return facts['not_after'] - (time.time() if now is None else now) < days * 86400


class Tools(object):
    """openssl (and keytool, for the Java trust store) run through an AnsibleModule."""

    def __init__(self, module, openssl='openssl', keytool=None):
        self.module = module
        self.openssl = openssl
        self.keytool = keytool

    def run(self, purpose, args, data=None, password=None):
        environ = {PASSWORD_VARIABLE: password} if password is not None else None
        rc, out, err = self.module.run_command(args, data=data, binary_data=data is not None, environ_update=environ)
        if rc != 0:
            raise ToolError('%s failed (%s, exit %d): %s'
                            % (purpose, os.path.basename(args[0]), rc, (err or out).strip()))
        return out

    def certificate(self, pem):
        """parse_x509 of a PEM certificate, with its public key ('public_key')."""
        facts = parse_x509(self.run('Reading a certificate', [
            self.openssl, 'x509', '-noout', '-subject', '-issuer', '-enddate', '-fingerprint', '-sha256',
            '-ext', 'subjectAltName', '-nameopt', 'RFC2253'], data=pem))
        facts['public_key'] = self.run('Reading a certificate\'s public key', [
            self.openssl, 'x509', '-noout', '-pubkey'], data=pem)
        return facts

    def public_key(self, key_pem):
        """The public key of a PEM private key (given on standard input, so it is in no file or log)."""
        return self.run('Reading the private key', [self.openssl, 'pkey', '-pubout'], data=key_pem)

    def new_key(self, path, bits=2048):
        """An RSA key at path, mode 0400, written beside it and moved into place."""
        with _beside(path) as temp:
            self.run('Making a private key', [self.openssl, 'genpkey', '-algorithm', 'RSA', '-pkeyopt',
                                              'rsa_keygen_bits:%d' % bits, '-out', temp])
            os.chmod(temp, 0o400)
            os.rename(temp, path)

    def request(self, key_path, names):
        """A certificate signing request for names (the first is the subject's CN), as PEM."""
        return self.run('Making a certificate signing request', [
            self.openssl, 'req', '-new', '-key', key_path, '-subj', '/CN=%s' % names[0],
            '-addext', 'subjectAltName=%s' % ','.join('DNS:' + name for name in names)])

    def request_subject(self, csr):
        """The subject of a signing request whose signature is valid."""
        out = self.run('Checking a certificate signing request', [
            self.openssl, 'req', '-verify', '-noout', '-subject', '-nameopt', 'RFC2253'], data=csr)
        return out.strip().partition('=')[2].strip()

    def chains_to(self, pem, ca_pem):
        """Whether the certificate is signed by one of the certificates in ca_pem."""
        with _temp_files(ca=ca_pem, cert=pem) as paths:
            rc, dummy, dummy = self.module.run_command([self.openssl, 'verify', '-CAfile', paths['ca'],
                                                        '-partial_chain', paths['cert']])
        return rc == 0

    def pkcs12_certificates(self, path, password):
        """The certificates of a PKCS12 store, or None when it cannot be read with the password."""
        rc, out, dummy = self.module.run_command(
            [self.openssl, 'pkcs12', '-in', path, '-nokeys', '-passin', 'env:' + PASSWORD_VARIABLE],
            environ_update={PASSWORD_VARIABLE: password})
        return split_pem(out) if rc == 0 else None

    def write_keystore(self, path, key_path, pem, ca_pem, password):
        """A PKCS12 key store: the key, its certificate and the CA's certificates as its chain."""
        with _temp_files(cert=pem, ca=ca_pem) as paths:
            with _beside(path) as temp:
                self.run('Writing the key store', [
                    self.openssl, 'pkcs12', '-export', '-name', KEY_ALIAS, '-inkey', key_path, '-in', paths['cert'],
                    '-certfile', paths['ca'], '-out', temp, '-passout', 'env:' + PASSWORD_VARIABLE],
                    password=password)
                os.rename(temp, path)

    def write_truststore(self, path, ca_pem, password):
        """A PKCS12 trust store of the CA's certificates, written with keytool: Java trusts only the entries
        that keytool marks as trusted certificates."""
        if not self.keytool:
            raise ToolError('keytool was not found; it comes with the Java runtime')
        with _beside(path) as temp:
            os.unlink(temp)
            for index, ca in enumerate(split_pem(ca_pem)):
                with _temp_files(ca=ca) as paths:
                    self.run('Writing the trust store', [
                        self.keytool, '-importcert', '-noprompt', '-alias', '%s%s' % (CA_ALIAS, index or ''),
                        '-file', paths['ca'], '-keystore', temp, '-storetype', 'PKCS12',
                        '-storepass:env', PASSWORD_VARIABLE], password=password)
            os.rename(temp, path)

    def new_ca(self, key_path, cert_path, name, days):
        """A CA: an RSA key (mode 0400) and a self-signed certificate for signing only, valid for days."""
        self.new_key(key_path, bits=3072)
        with _beside(cert_path) as temp:
            self.run('Making the CA certificate', [
                self.openssl, 'req', '-x509', '-new', '-sha256', '-key', key_path, '-subj', '/CN=%s' % name,
                '-days', str(days), '-addext', 'basicConstraints=critical,CA:TRUE',
                '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', temp])
            os.chmod(temp, 0o444)
            os.rename(temp, cert_path)

    def sign(self, key_path, cert_path, csr, names, days):
        """A certificate for names from the request csr, signed by the CA. The request's key and its CN
        (which must be the first name) are taken from it; its extensions are not: the certificate gets the
        names given, for server and client authentication, and cannot sign."""
        subject = self.request_subject(csr)
        if common_name(subject) != names[0]:
            raise ToolError('the signing request for %s is for %r' % (names[0], subject))
        extensions = '\n'.join([
            'basicConstraints=critical,CA:FALSE',
            'keyUsage=critical,digitalSignature,keyEncipherment',
            'extendedKeyUsage=serverAuth,clientAuth',
            'subjectAltName=%s' % ','.join('DNS:' + name for name in names), ''])
        with _temp_files(csr=csr, ext=extensions) as paths:
            return self.run('Signing the certificate of %s' % names[0], [
                self.openssl, 'x509', '-req', '-sha256', '-in', paths['csr'], '-CA', cert_path, '-CAkey', key_path,
                '-set_serial', '0x%s' % binascii.hexlify(os.urandom(16)).decode(), '-days', str(days),
                '-extfile', paths['ext']])


class _beside(object):
    """A temporary file beside path, removed unless it was renamed."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        directory = os.path.dirname(self.path) or '.'
        fd, self.temp = tempfile.mkstemp(prefix='.%s-' % os.path.basename(self.path), dir=directory)
        os.close(fd)
        return self.temp

    def __exit__(self, *exc):
        if os.path.exists(self.temp):
            os.unlink(self.temp)
        return False


class _temp_files(object):
    """Public PEM texts in files of a private temporary directory."""

    def __init__(self, **texts):
        self.texts = texts

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix='datafleet-tls-')
        paths = {}
        for name, text in self.texts.items():
            paths[name] = os.path.join(self.directory, name + '.pem')
            with open(paths[name], 'w') as handle:
                handle.write(text)
        return paths

    def __exit__(self, *exc):
        shutil.rmtree(self.directory, ignore_errors=True)
        return False
