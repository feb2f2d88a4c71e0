# -*- coding: utf-8 -*-
"""The execution environment defined by execution-environment.yml, as
ansible-builder sees it: the build context it creates from the definition and
the collection's tarball, and the dependencies its introspection (the script
the image build runs) reads from the collection once installed. The image
itself needs its base image from a container registry."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv, cwd):
    proc = subprocess.run(argv, cwd=str(cwd), capture_output=True, text=True, check=False,
                          env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    assert proc.returncode == 0, '%s:\n%s%s' % (' '.join(argv), proc.stdout, proc.stderr)
    return proc.stdout


@pytest.fixture(scope='module')
def context(tmp_path_factory):
    """The definition and ee/ copied beside a freshly built tarball, and the context ansible-builder creates."""
    work = tmp_path_factory.mktemp('ee')
    shutil.copy(os.path.join(ROOT, 'execution-environment.yml'), str(work))
    shutil.copytree(os.path.join(ROOT, 'ee'), str(work / 'ee'), ignore=shutil.ignore_patterns('*.tar.gz'))
    run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', str(work / 'ee'), ROOT], work)
    run(['ansible-builder', 'create', '-f', 'execution-environment.yml', '-c', 'context'], work)
    return work


def test_the_context_installs_the_collection_after_its_dependencies(context):
    containerfile = (context / 'context' / 'Dockerfile').read_text()
    galaxy = containerfile.index('ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml')
    own = containerfile.index('ansible-galaxy collection install --no-deps -p /usr/share/ansible/collections '
                              '/build/collection/*.tar.gz')
    introspect = containerfile.index('introspect.py introspect')
    assert galaxy < own < introspect
    tarballs = [os.path.basename(p) for p in glob.glob(str(context / 'context' / '_build' / 'collection' / '*.tar.gz'))]
    assert tarballs == ['datafleet-hadoop-%s.tar.gz' % yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml')))['version']]
    requirements = yaml.safe_load((context / 'context' / '_build' / 'requirements.yml').read_text())
    galaxy_yml = yaml.safe_load(open(os.path.join(ROOT, 'galaxy.yml')))
    assert sorted(c['name'] for c in requirements['collections']) == sorted(galaxy_yml['dependencies'])


def test_the_introspection_reads_the_collections_system_needs(context):
    collections = context / 'collections'
    tarball, = glob.glob(str(context / 'ee' / '*.tar.gz'))
    run(['ansible-galaxy', 'collection', 'install', '--force', '--no-deps', '-p', str(collections), tarball], context)
    script = str(context / 'context' / '_build' / 'scripts' / 'introspect.py')
    run([sys.executable, script, 'introspect', str(collections), '--write-bindep', 'bindep.txt', '--write-pip', 'pip.txt'],
        context)
    bindep = (context / 'bindep.txt').read_text().splitlines()
    assert bindep == ['openssh-client [platform:dpkg]  # from collection datafleet.hadoop',
                      'openssh-clients [platform:rpm]  # from collection datafleet.hadoop']
    # No Python requirements, so no file.
    assert not (context / 'pip.txt').exists()
