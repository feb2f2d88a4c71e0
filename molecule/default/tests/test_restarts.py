# -*- coding: utf-8 -*-
"""A configuration change restarts only the daemons that read the changed
file, and a second run restarts nothing. Runs last: it changes the cluster."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import subprocess
import time


from conftest import CONTAINERS, GROUPS, HOSTVARS, INVENTORY_DIR, run_site

UNITS = {
    'hadoop-hdfs-namenode': False, 'hadoop-hdfs-datanode': False, 'spark-history-server': False,
    # yarn-site.xml is read by these:
    'hadoop-yarn-resourcemanager': True, 'hadoop-yarn-nodemanager': True, 'hadoop-mapreduce-historyserver': True,
}


def start_times():
    times = {}
    for container in sorted(CONTAINERS.values()):
        for unit in UNITS:
            out = subprocess.run(['docker', 'exec', container, 'systemctl', 'show', '-p',
                                  'ExecMainStartTimestampMonotonic', '--value', unit + '.service'],
                                 capture_output=True, text=True, check=True).stdout.strip()
            if out not in ('', '0'):
                times[(container, unit)] = out
    return times


def test_a_yarn_setting_restarts_only_the_daemons_that_read_yarn_site():
    yarn_site = dict(HOSTVARS[GROUPS['resourcemanagers'][0]]['hadoop_yarn_site'])
    # A value this run has not seen yet, so the file really changes.
    yarn_site['yarn.log-aggregation.retain-seconds'] = 604800 + int(time.time()) % 86400
    before = start_times()
    result = run_site(INVENTORY_DIR, {'hadoop_yarn_site': yarn_site})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    after = start_times()
    restarted = sorted(set(unit for key, unit in before if after.get((key, unit)) != before[(key, unit)]))
    assert restarted == sorted(u for u, reads in UNITS.items() if reads)
    again = run_site(INVENTORY_DIR, {'hadoop_yarn_site': yarn_site})
    assert again.returncode == 0
    assert start_times() == after
    changed = re.findall(r'changed=(\d+)', again.stdout.split('PLAY RECAP')[-1])
    assert changed and set(changed) == {'0'}
