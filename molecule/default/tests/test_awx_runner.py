# -*- coding: utf-8 -*-
"""site.yml and service_check.yml run the way AWX runs a job: through
ansible-runner, in a private data directory holding the project (the files git
tracks, as AWX checks them out), the inventory, env/extravars, env/settings and
env/envvars; the collection installed from the project's
collections/requirements.yml as AWX's project update installs it; stdin
closed. On the converged cluster the job must succeed, wait for no input,
and change nothing on any host (read from the job events, as AWX reads them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import CONTAINERS, INVENTORY_DIR, PROJECT


def awx_env(**values):
    """A job's environment: none of this checkout's development settings."""
    base = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_'))
    base.update(ANSIBLE_NOCOLOR='1')
    base.update(values)
    return base


@pytest.fixture(scope='module')
def private_data_dir(tmp_path_factory):
    pdd = tmp_path_factory.mktemp('awx-job')
    project = pdd / 'project'
    names = subprocess.run(['git', 'ls-files', '-z'], cwd=PROJECT, capture_output=True, check=True).stdout
    for name in names.decode().split('\0'):
        if name and os.path.lexists(os.path.join(PROJECT, name)):
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(PROJECT, name), str(project / name), follow_symlinks=False)
    collections = pdd / 'requirements_collections'
    # The project update: in the project directory, into AWX's staging path.
    proc = subprocess.run(['ansible-galaxy', 'collection', 'install', '-r', 'collections/requirements.yml'],
                          cwd=str(project), capture_output=True, text=True, check=False,
                          env=awx_env(ANSIBLE_COLLECTIONS_PATH=str(collections), HOME=str(pdd)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shutil.copytree(INVENTORY_DIR, str(pdd / 'inventory'))
    (pdd / 'env').mkdir()
    (pdd / 'env' / 'extravars').write_text(yaml.safe_dump({}))
    (pdd / 'env' / 'settings').write_text(yaml.safe_dump({'suppress_ansible_output': True, 'job_timeout': 1800}))
    (pdd / 'env' / 'envvars').write_text(yaml.safe_dump({
        'ANSIBLE_COLLECTIONS_PATH': '%s:%s' % (collections, os.path.join(str(project), '.cache', 'collections')),
        # Where the artifacts this scenario deployed are kept on the controller.
        'HOME': os.environ['HOME'],
    }))
    return pdd


def run_job(pdd, playbook, ident):
    proc = subprocess.run(['ansible-runner', 'run', str(pdd), '-p', playbook, '--ident', ident],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
                          env=awx_env(HOME=os.environ['HOME']), timeout=2400)
    artifacts = pdd / 'artifacts' / ident
    events = [json.load(open(path)) for path in glob.glob(str(artifacts / 'job_events' / '*.json'))]
    events.sort(key=lambda event: event['counter'])
    stdout = (artifacts / 'stdout').read_text() if (artifacts / 'stdout').exists() else proc.stdout
    status = (artifacts / 'status').read_text().strip() if (artifacts / 'status').exists() else None
    return proc, status, events, stdout


def test_site_and_the_service_check_run_as_awx_jobs_and_change_nothing(private_data_dir):
    for playbook, ident in (('site.yml', 'site'), ('playbooks/service_check.yml', 'service-check')):
        proc, status, events, stdout = run_job(private_data_dir, playbook, ident)
        assert (proc.returncode, status) == (0, 'successful'), stdout[-3000:] + proc.stderr[-2000:]
        kinds = [event['event'] for event in events]
        assert 'playbook_on_vars_prompt' not in kinds and 'runner_on_failed' not in kinds
        stats, = [event['event_data'] for event in events if event['event'] == 'playbook_on_stats']
        # Every host of the cluster for site.yml; the service check runs on a Spark client.
        assert set(stats['processed']) >= set(CONTAINERS) if ident == 'site' else stats['processed']
        # A job that changed something says where.
        changed = dict((host, count) for host, count in stats['changed'].items() if count)
        assert changed == {}, [(e['event_data'].get('host'), e['event_data'].get('task'))
                               for e in events if e['event'] == 'runner_on_ok' and e['event_data']['res'].get('changed')]
        assert not stats['failures'] and not stats['dark']
