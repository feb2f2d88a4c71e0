# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
#
# This plugin_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""What the collection's inventory plugins share: the file check, unknown
keys, the cache round trip and the constructed features."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable


class DatafleetInventory(BaseInventoryPlugin, Constructable, Cacheable):

    def verify_file(self, path):
        return super(DatafleetInventory, self).verify_file(path) and path.endswith(('.yml', '.yaml'))

    def _read_checked_config(self, path):
        """The plugin's file, refused when it has a key that is no option (a typo)."""
        config = self._read_config_data(path)
        known = set(self._options) | set(['plugin'])
        unknown = sorted(str(k) for k in config if k not in known)
        if unknown:
            raise AnsibleParserError('%s: unknown key(s) %s; the keys of %s are: %s'
                                     % (path, ', '.join(unknown), self.NAME, ', '.join(sorted(known))))
        return config

    def _cached(self, cache_key, cache, produce, keep=None):
        """The cached data for the key when caching is on and allowed, else
        produce() (stored in the cache unless keep(data) says no)."""
        use_cache = self.get_option('cache')
        if use_cache and cache:
            try:
                return self._cache[cache_key]
            except KeyError:
                pass
        data = produce()
        if use_cache and (keep is None or keep(data)):
            self._cache[cache_key] = data
        return data

    def _construct(self, host, variables):
        strict = self.get_option('strict')
        self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)

    def _constructing(self):
        return bool(self.get_option('compose') or self.get_option('groups') or self.get_option('keyed_groups'))
