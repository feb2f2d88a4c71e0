# -*- coding: utf-8 -*-
"""This repository used as an AWX / Automation Controller project, the way
AWX prepares one: the checked-out files only (no `make venv`, no
.cache/collections), the project update's `ansible-galaxy collection install
-r collections/requirements.yml` run in the project directory with
ANSIBLE_COLLECTIONS_PATH pointing at its staging directory, and the job's
ANSIBLE_COLLECTIONS_PATH made of that directory and the project's
ansible.cfg value. The playbooks and the topology inventory must resolve
datafleet.hadoop.* from there."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import configparser
import glob
import json
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(os.path.realpath(shutil.which('ansible-playbook') or 'ansible-playbook'))


def checkout(tmp_path):
    """The files git tracks, copied as a project checkout."""
    project = tmp_path / 'project'
    names = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, capture_output=True, check=True).stdout
    for name in names.decode().split('\0'):
        if not name or not os.path.lexists(os.path.join(ROOT, name)):
            continue
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, name), str(target), follow_symlinks=False)
    return project


def env(**values):
    """The environment of an AWX process: none of this checkout's development settings."""
    base = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_'))
    base.update(ANSIBLE_NOCOLOR='1', HOME=values.pop('HOME'))
    base.update(values)
    return base


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('awx')
    path = checkout(tmp)
    home = tmp / 'home'
    home.mkdir()
    stage = tmp / 'requirements_collections'
    install = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '-r',
                              'collections/requirements.yml'],
                             cwd=str(path), capture_output=True, text=True, check=False,
                             env=env(HOME=str(home), ANSIBLE_COLLECTIONS_PATH=str(stage)))
    assert install.returncode == 0, install.stdout + install.stderr
    parser = configparser.ConfigParser()
    parser.read(str(path / 'ansible.cfg'))
    configured = parser.get('defaults', 'collections_path', fallback='')
    job = env(HOME=str(home), ANSIBLE_COLLECTIONS_PATH=':'.join(p for p in (str(stage), configured) if p))
    return path, home, job


def playbooks(path):
    return ['site.yml'] + sorted(os.path.relpath(p, str(path)) for p in glob.glob(str(path / 'playbooks' / '*.yml')))


def test_the_checkout_alone_does_not_resolve_the_collection(project):
    path, home, dummy = project
    bare = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'inventories/sandbox', 'site.yml',
                           '--syntax-check'], cwd=str(path), capture_output=True, text=True, check=False,
                          env=env(HOME=str(home)))
    assert bare.returncode != 0
    assert 'datafleet.hadoop' in bare.stdout + bare.stderr


def test_every_playbook_resolves_the_collection_the_project_update_installed(project):
    path, dummy, job = project
    for inventory in ('inventories/sandbox', 'inventories/sandbox-ha'):
        result = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', inventory, '--syntax-check']
                                + playbooks(path), cwd=str(path), capture_output=True, text=True, check=False,
                                env=job)
        assert result.returncode == 0, (inventory, (result.stdout + result.stderr)[-3000:])


def test_the_topology_inventory_is_read_as_an_inventory_source(project):
    path, dummy, job = project
    result = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', 'inventories/sandbox', '--list'],
                            cwd=str(path), capture_output=True, text=True, check=False, env=job)
    assert result.returncode == 0, result.stderr[-3000:]
    listed = json.loads(result.stdout)
    assert listed['namenodes']['hosts'] and listed['datanodes']['hosts'], sorted(listed)
