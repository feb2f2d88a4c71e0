"""Stand-in for the get-pip.py that ansible-test downloads from its own file host.

Where only a package index is reachable, ansible-test cannot fetch its pip
bootstrap script. This script does the same job from what is reachable: it
installs the bundled pip with ensurepip, then pip installs the requested
packages (for example pip==24.2) from the configured index. tools/run-sanity
puts it where ansible-test looks for the script.
"""
import ensurepip
import os
import subprocess
import sys

IGNORED = {'--no-setuptools', '--no-wheel'}


def main(argv):
    env = dict(os.environ)
    # ensurepip points PIP_CONFIG_FILE at /dev/null in this process; the
    # install below must read the machine's pip configuration (index, CA).
    ensurepip.bootstrap(upgrade=True)
    args = [a for a in argv if a not in IGNORED]
    return subprocess.call([sys.executable, '-m', 'pip', 'install'] + args, env=env)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
