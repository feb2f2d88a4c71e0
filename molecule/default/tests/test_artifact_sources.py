# -*- coding: utf-8 -*-
"""Artifacts from a URL: a mirror laid out like Apache's download site, served
on 127.0.0.1, with checksum files in the BSD style some Apache releases use.
Only the controller play runs (--limit localhost); no node is touched."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import hashlib
import os
import shutil
import subprocess
import threading

import pytest
import yaml

from conftest import ENDPOINTS, INVENTORY_DIR, PROJECT

try:
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
except ImportError:  # pragma: no cover
    pytest.skip('needs Python 3.7+', allow_module_level=True)

DIST = os.path.expanduser('~/.cache/datafleet-hadoop/dist')


def _default(role, name):
    with open(os.path.join(PROJECT, 'roles', role, 'defaults', 'main.yml')) as handle:
        return yaml.safe_load(handle)[name]


# The versions the scenario deploys: its inventory's, or the roles' defaults.
HADOOP = ENDPOINTS.get('hadoop_version') or _default('hadoop', 'hadoop_version')
SPARK = ENDPOINTS.get('spark_version') or _default('spark', 'spark_version')
# Where Apache publishes each artifact, relative to the mirror's base URL.
LAYOUT = {
    'hadoop/common/hadoop-%s/hadoop-%s.tar.gz' % (HADOOP, HADOOP): 'hadoop-%s.tar.gz' % HADOOP,
    'spark/spark-%s/spark-%s-bin-hadoop3.tgz' % (SPARK, SPARK): 'spark-%s-bin-hadoop3.tgz' % SPARK,
}


def sha512(path):
    digest = hashlib.sha512()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture
def mirror(tmp_path):
    root = tmp_path / 'mirror'
    for relative, built in LAYOUT.items():
        target = root / relative
        target.parent.mkdir(parents=True)
        os.symlink(os.path.join(DIST, built), str(target))
        # BSD style, upper case: one of the forms Apache has published.
        target.with_name(target.name + '.sha512').write_text(
            'SHA512 (%s) = %s\n' % (target.name, sha512(os.path.join(DIST, built)).upper()))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()


def controller_play(cache, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(PROJECT, '.cache', 'collections'),
               ANSIBLE_NOCOLOR='1')
    # localhost is named in a second inventory so --limit can select it; the
    # connection settings below then apply to it alone.
    argv = ['ansible-playbook', '-i', INVENTORY_DIR, '-i', 'localhost,', os.path.join(PROJECT, 'playbooks', 'site.yml'),
            '--limit', 'localhost', '-e', 'ansible_connection=local',
            '-e', 'ansible_python_interpreter={{ ansible_playbook_python }}',
            '-e', 'hadoop_artifact_cache_dir=%s' % cache]
    for value in extra:
        argv += ['-e', value]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=PROJECT, check=False)


def from_mirror(base_url, cache):
    return controller_play(cache, 'hadoop_artifact_source=url', 'spark_artifact_source=url',
                           'hadoop_artifact_mirror=%s' % base_url, 'spark_artifact_mirror=%s' % base_url)


def test_download_from_a_mirror_and_verify(mirror, tmp_path):
    _root, url = mirror
    cache = tmp_path / 'cache'
    result = from_mirror(url, cache)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for built in LAYOUT.values():
        assert sha512(str(cache / built)) == sha512(os.path.join(DIST, built))
    again = from_mirror(url, cache)
    assert again.returncode == 0
    assert 'changed=0' in again.stdout.split('PLAY RECAP')[-1]


def test_a_corrupt_download_is_refused(mirror, tmp_path):
    root, url = mirror
    relative = next(r for r in LAYOUT if r.startswith('hadoop/'))
    corrupt = root / relative
    corrupt.unlink()
    with open(os.path.join(DIST, LAYOUT[relative]), 'rb') as source:
        data = bytearray(source.read(1 << 20))
    data[1000] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    cache = tmp_path / 'cache'
    result = from_mirror(url, cache)
    output = ' '.join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert 'checksum' in output.lower() and 'did not match' in output
    assert not (cache / LAYOUT[relative]).exists()
    shutil.rmtree(str(cache), ignore_errors=True)


def test_files_on_the_controller_are_linked_and_verified(tmp_path):
    """*_artifact_source: file, as the README documents it: the files (with
    their .sha512 beside them) are linked into the cache and verified."""
    files = tmp_path / 'files'
    files.mkdir()
    for built in LAYOUT.values():
        os.symlink(os.path.join(DIST, built), str(files / built))
        os.symlink(os.path.join(DIST, built + '.sha512'), str(files / (built + '.sha512')))
    cache = tmp_path / 'cache'
    hadoop, spark = ('%s/%s' % (files, built) for built in sorted(LAYOUT.values()))
    args = ('hadoop_artifact_source=file', 'spark_artifact_source=file',
            'hadoop_artifact_file=' + hadoop, 'spark_artifact_file=' + spark)
    result = controller_play(cache, *args)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for built in LAYOUT.values():
        assert sha512(str(cache / built)) == sha512(os.path.join(DIST, built))
        stamp = (cache / (built + '.verified')).read_text().split()
        assert stamp[-1] == sha512(os.path.join(DIST, built))
    again = controller_play(cache, *args)
    assert again.returncode == 0
    assert 'changed=0' in again.stdout.split('PLAY RECAP')[-1]


def test_a_file_without_its_checksum_is_refused(tmp_path):
    built = LAYOUT[next(r for r in LAYOUT if r.startswith('hadoop/'))]
    lone = tmp_path / built
    os.symlink(os.path.join(DIST, built), str(lone))
    result = controller_play(tmp_path / 'cache', 'hadoop_artifact_source=file', 'hadoop_artifact_file=%s' % lone)
    output = ' '.join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert '%s has no %s.sha512 beside it' % (lone, built) in output
