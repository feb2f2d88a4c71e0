# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Configuration dicts to and from *-site.xml and Java properties files.

Values may be strings, integers, floats or booleans; anything else (a list, a
dict, None) is an error naming the key, so a wrong variable fails before a
host is changed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re
from xml.etree import ElementTree
from xml.sax.saxutils import escape

_NUMBER_TYPES = (int, float)


class ConfigValueError(ValueError):
    pass


# The files the roles render from layered settings, each with the variable
# its layers are named after. Layers, lowest first: <variable>_default (the
# collection's defaults), the configuration advisor's values (files it
# sizes), <variable> (cluster-wide), <variable>_group, <variable>_host.
SECTIONS = collections.OrderedDict([
    ('core_site', ('core-site.xml', 'hadoop_core_site')),
    ('hdfs_site', ('hdfs-site.xml', 'hadoop_hdfs_site')),
    ('yarn_site', ('yarn-site.xml', 'hadoop_yarn_site')),
    ('mapred_site', ('mapred-site.xml', 'hadoop_mapred_site')),
    ('capacity_scheduler', ('capacity-scheduler.xml', 'hadoop_capacity_scheduler')),
    ('spark_defaults', ('spark-defaults.conf', 'spark_defaults')),
    ('zoo_cfg', ('zoo.cfg', 'zookeeper_config')),
])
# The inventory's layers above the defaults and the advisor.
INVENTORY_LAYERS = ('', '_group', '_host')


def layer_names(section):
    """The names of a section's layers, lowest first, as merge_layers takes them."""
    variable = SECTIONS[section][1]
    return [variable + '_default', 'the configuration advisor'] + [variable + suffix for suffix in INVENTORY_LAYERS]


def merge_layers(layers, section=None):
    """The settings of one file from its layers, lowest first: each layer's
    value of a key replaces the value of the layers below. A layer is a dict
    or None (absent). With section, a layer that is not a dict is named by
    its variable (layers as layer_names(section) lists them)."""
    names = layer_names(section) if section in SECTIONS else []
    merged = {}
    for position, layer in enumerate(layers):
        if layer is None:
            continue
        if not isinstance(layer, dict):
            name = names[position] if position < len(names) else 'layer %d of %s' % (position + 1, section or 'a file')
            raise ConfigValueError('%s must be a dict of property names to values, not a %s'
                                   % (name, type(layer).__name__))
        merged.update(layer)
    return merged


def inventory_layers(variables, section):
    """A section's inventory layers (cluster, group, host) from a host's variables."""
    variable = SECTIONS[section][1]
    return [variables.get(variable + suffix) for suffix in INVENTORY_LAYERS]


def _text_type():
    try:
        return (str, unicode)  # noqa: F821 pylint: disable=undefined-variable
    except NameError:
        return (str,)


def config_value(name, key, value):
    """Render one value as Hadoop reads it (booleans as true/false)."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, _NUMBER_TYPES):
        return str(value)
    if isinstance(value, _text_type()):
        return value
    if isinstance(value, (list, tuple)):
        kind = 'list'
    elif isinstance(value, dict):
        kind = 'dict'
    else:
        kind = type(value).__name__
    raise ConfigValueError(
        '%s: the value of %s is a %s (%r); configuration values must be strings, numbers or booleans. '
        'Join lists with commas, for example "a,b"' % (name, key, kind, value))


def validate_config(config, name='configuration'):
    """Return the dict with every value rendered to text, or raise ConfigValueError."""
    if not isinstance(config, dict):
        raise ConfigValueError('%s must be a dict of property names to values, not a %s'
                               % (name, type(config).__name__))
    return dict((str(key), config_value(name, key, value)) for key, value in config.items())


def to_hadoop_xml(config, name='configuration', comment=None, include=None):
    """A Hadoop <configuration> document, properties sorted so the output is stable.

    comment goes right after the XML declaration, which must come first.
    include names a file (relative to this one) that Hadoop reads after these
    properties when it exists (XInclude with an empty fallback), so its values win.
    """
    rendered = validate_config(config, name)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    if comment:
        lines.append('<!-- %s -->' % comment.replace('--', '- -'))
    lines.append('<configuration xmlns:xi="http://www.w3.org/2001/XInclude">' if include else '<configuration>')
    for key in sorted(rendered):
        lines.append('  <property>')
        lines.append('    <name>%s</name>' % escape(key))
        lines.append('    <value>%s</value>' % escape(rendered[key]))
        lines.append('  </property>')
    if include:
        lines.append('  <xi:include href="%s"><xi:fallback/></xi:include>' % escape(include))
    lines.append('</configuration>')
    return '\n'.join(lines) + '\n'


def _escape_property(text, is_key=False):
    out = text.replace('\\', '\\\\').replace('\n', '\\n').replace('\t', '\\t')
    if is_key:
        for char in (' ', '=', ':'):
            out = out.replace(char, '\\' + char)
    return out


def to_properties(config, name='configuration'):
    """A Java properties file (spark-defaults.conf), sorted."""
    rendered = validate_config(config, name)
    return ''.join('%s %s\n' % (_escape_property(key, True), _escape_property(rendered[key]))
                   for key in sorted(rendered))


def parse_hadoop_xml(text):
    """{name: value} of a *-site.xml; XIncluded files are not followed."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as e:
        raise ConfigValueError('not a Hadoop configuration file: %s' % e)
    values = {}
    for prop in root.iter('property'):
        name = prop.findtext('name')
        if name:
            values[name.strip()] = (prop.findtext('value') or '').strip()
    return values


def changed_properties(old_text, config, name='configuration'):
    """Names of the properties whose value differs between a *-site.xml in
    place (its text) and the config about to replace it, sorted; None when
    old_text is not a Hadoop configuration file (or there is none)."""
    try:
        old = parse_hadoop_xml(old_text) if old_text else None
    except ConfigValueError:
        old = None
    if old is None:
        return None
    new = dict((key, value.strip()) for key, value in validate_config(config, name).items())
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


_PROPERTY_LINE = re.compile(r'^\s*((?:\\.|[^\s=:\\])+)\s*[=:\s]\s*(.*)$')


def _unescape_property(text):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), text)


def parse_properties(text):
    """{key: value} of a properties file as to_properties writes it
    (comments and blank lines skipped, no continuation lines)."""
    values = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(('#', '!')):
            continue
        match = _PROPERTY_LINE.match(line)
        if match:
            values[_unescape_property(match.group(1))] = _unescape_property(match.group(2).rstrip())
    return values
