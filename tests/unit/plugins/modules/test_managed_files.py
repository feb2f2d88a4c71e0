# -*- coding: utf-8 -*-
"""managed_files on a real directory tree: what differs is written, what is in place is left alone."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd
import stat

from ansible_collections.datafleet.hadoop.plugins.modules import managed_files

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def mode(path):
    return '%04o' % stat.S_IMODE(os.stat(path).st_mode)


def args(tmp_path, content='<configuration/>\n', file_mode='0644', **extra):
    conf = str(tmp_path / 'etc' / 'svc')
    return dict({
        'directories': [{'path': conf, 'owner': USER, 'group': GROUP, 'mode': '0755'},
                        {'path': str(tmp_path / 'tmp'), 'mode': '1777'}],
        'files': [{'dest': conf + '/site.xml', 'content': content, 'owner': USER, 'group': GROUP,
                   'mode': file_mode},
                  {'dest': conf + '/log4j.properties', 'content': 'rootLogger=INFO\n', 'mode': '0640'}],
        'keep_previous': [conf + '/site.xml'],
    }, **extra)


def test_creates_what_is_missing_then_changes_nothing(tmp_path, run_module):
    first = run_module(managed_files, args(tmp_path))
    conf = tmp_path / 'etc' / 'svc'
    assert first['changed'] is True
    assert first['changed_paths'] == [str(conf), str(tmp_path / 'tmp'), str(conf / 'site.xml'),
                                      str(conf / 'log4j.properties')]
    # A file that did not exist had no content before.
    assert first['previous'] == {str(conf / 'site.xml'): None}
    assert (conf / 'site.xml').read_text() == '<configuration/>\n'
    assert (mode(str(conf)), mode(str(tmp_path / 'tmp')), mode(str(conf / 'site.xml')),
            mode(str(conf / 'log4j.properties'))) == ('0755', '1777', '0644', '0640')
    # The parent created on the way.
    assert mode(str(tmp_path / 'etc')) == '0755'
    second = run_module(managed_files, args(tmp_path))
    assert second['changed'] is False and second['changed_paths'] == [] and second['previous'] == {}
    assert 'diff' not in second


def test_a_changed_content_is_replaced_and_its_previous_content_returned(tmp_path, run_module):
    run_module(managed_files, args(tmp_path))
    conf = tmp_path / 'etc' / 'svc'
    inode = os.stat(str(conf / 'log4j.properties')).st_ino
    result = run_module(managed_files, args(tmp_path, content='<configuration><x/></configuration>\n',
                                            _ansible_diff=True))
    assert result['changed_paths'] == [str(conf / 'site.xml')]
    assert result['previous'] == {str(conf / 'site.xml'): '<configuration/>\n'}
    diff, = result['diff']
    assert diff['before_header'] == diff['after_header'] == str(conf / 'site.xml')
    assert (diff['before'], diff['after']) == ('<configuration/>\n', '<configuration><x/></configuration>\n')
    assert (conf / 'site.xml').read_text() == '<configuration><x/></configuration>\n'
    assert mode(str(conf / 'site.xml')) == '0644'
    # The other file was not rewritten; no temporary file is left behind.
    assert os.stat(str(conf / 'log4j.properties')).st_ino == inode
    assert sorted(os.listdir(str(conf))) == ['log4j.properties', 'site.xml']


def test_a_mode_that_differs_is_set_without_rewriting_the_file(tmp_path, run_module):
    run_module(managed_files, args(tmp_path))
    site = tmp_path / 'etc' / 'svc' / 'site.xml'
    inode = os.stat(str(site)).st_ino
    os.chmod(str(site), 0o600)
    result = run_module(managed_files, args(tmp_path, _ansible_diff=True))
    assert result['changed_paths'] == [str(site)]
    diff, = result['diff']
    assert (diff['before'], diff['after']) == ({'mode': '0600'}, {'mode': '0644'})
    assert mode(str(site)) == '0644' and os.stat(str(site)).st_ino == inode


def test_check_mode_reports_and_changes_nothing(tmp_path, run_module):
    result = run_module(managed_files, args(tmp_path, _ansible_diff=True), check_mode=True)
    assert result['changed'] is True and len(result['changed_paths']) == 4
    assert not (tmp_path / 'etc').exists()
    run_module(managed_files, args(tmp_path))
    site = tmp_path / 'etc' / 'svc' / 'site.xml'
    result = run_module(managed_files, args(tmp_path, content='<configuration><y/></configuration>\n',
                                            file_mode='0600', _ansible_diff=True), check_mode=True)
    assert result['changed_paths'] == [str(site)]
    assert result['diff'][0]['after'] == '<configuration><y/></configuration>\n'
    assert site.read_text() == '<configuration/>\n' and mode(str(site)) == '0644'


def test_a_directory_where_a_file_belongs_fails_with_the_path(tmp_path, run_module):
    conf = tmp_path / 'etc' / 'svc'
    os.makedirs(str(conf / 'site.xml'))
    result = run_module(managed_files, args(tmp_path))
    assert result['failed'] is True
    assert result['msg'] == '%s is a directory, not a file; move it away and run again' % (conf / 'site.xml')


def test_a_file_where_a_directory_belongs_fails_with_the_path(tmp_path, run_module):
    os.makedirs(str(tmp_path / 'etc'))
    (tmp_path / 'etc' / 'svc').write_text('x')
    result = run_module(managed_files, args(tmp_path))
    assert result['failed'] is True
    assert result['msg'] == '%s exists and is not a directory; move it away and run again' % (tmp_path / 'etc' / 'svc')


def test_a_link_is_made_only_when_what_it_requires_exists(tmp_path, run_module):
    opt = tmp_path / 'opt' / 'hadoop'
    (opt / 'hadoop-3.4.2').mkdir(parents=True)
    (opt / 'hadoop-3.5.0').mkdir()
    marker = opt / 'hadoop-3.5.0' / '.datafleet-0123'
    os.symlink(str(opt / 'hadoop-3.4.2'), str(opt / 'current'))
    link = {'links': [{'src': str(opt / 'hadoop-3.5.0'), 'dest': str(opt / 'current'), 'requires': str(marker)}]}
    incomplete = run_module(managed_files, link)
    assert incomplete['changed'] is False and incomplete['missing'] == [str(marker)]
    assert os.readlink(str(opt / 'current')) == str(opt / 'hadoop-3.4.2')
    marker.write_text('sha512\n')
    checked = run_module(managed_files, dict(link, _ansible_diff=True), check_mode=True)
    assert checked['changed'] is True and checked['changed_paths'] == [str(opt / 'current')]
    assert checked['diff'] == [{'before': {'path': str(opt / 'current'), 'src': str(opt / 'hadoop-3.4.2'), 'state': 'link'},
                                'after': {'path': str(opt / 'current'), 'src': str(opt / 'hadoop-3.5.0'), 'state': 'link'}}]
    assert os.readlink(str(opt / 'current')) == str(opt / 'hadoop-3.4.2')
    switched = run_module(managed_files, link)
    assert switched['changed'] is True and switched['missing'] == []
    assert os.readlink(str(opt / 'current')) == str(opt / 'hadoop-3.5.0')
    assert sorted(os.listdir(str(opt))) == ['current', 'hadoop-3.4.2', 'hadoop-3.5.0']
    again = run_module(managed_files, link)
    assert again['changed'] is False


def test_present_paths_are_only_looked_up(tmp_path, run_module):
    built = tmp_path / 'spark-jars-4.3.0.tar'
    link = {'src': str(tmp_path / 'v1'), 'dest': str(tmp_path / 'current'), 'requires': str(tmp_path / 'v1' / '.marker')}
    probe = {'present': [str(built)], 'links': [link]}
    result = run_module(managed_files, probe)
    assert result['changed'] is False and result['missing'] == [str(tmp_path / 'v1' / '.marker'), str(built)]
    assert not built.exists()
    built.write_text('tar')
    result = run_module(managed_files, probe)
    assert result['changed'] is False and result['missing'] == [str(tmp_path / 'v1' / '.marker')]
    assert built.read_text() == 'tar'


def test_a_link_over_a_directory_is_refused(tmp_path, run_module):
    (tmp_path / 'current').mkdir()
    result = run_module(managed_files, {'links': [{'src': str(tmp_path / 'v1'), 'dest': str(tmp_path / 'current')}]})
    assert result['failed'] is True
    assert result['msg'] == '%s exists and is not a link; move it away and run again' % (tmp_path / 'current')
