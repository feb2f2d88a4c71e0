"""Check that every role's meta/argument_specs.yml matches its defaults.

Every variable in defaults/main.yml must be an option of an entry point
(main first), with the same default value and a type that fits it, and every
option with a default must be in defaults/main.yml. Exits 1 and lists each
mismatch.
"""
import pathlib
import sys

import yaml

TYPES = {'str': str, 'int': int, 'bool': bool, 'list': list, 'dict': dict, 'path': str, 'raw': object}


def check_role(role):
    problems = []
    defaults_file = role / 'defaults' / 'main.yml'
    specs_file = role / 'meta' / 'argument_specs.yml'
    if not specs_file.exists():
        return ['%s: no meta/argument_specs.yml' % role.name]
    defaults = yaml.safe_load(defaults_file.read_text()) if defaults_file.exists() else {}
    defaults = defaults or {}
    specs = yaml.safe_load(specs_file.read_text())['argument_specs']
    options = {}
    for entry in sorted(specs, key=lambda e: e != 'main'):
        for name, option in (specs[entry].get('options') or {}).items():
            options.setdefault(name, option)
    for name, value in defaults.items():
        option = options.get(name)
        if option is None:
            problems.append('%s: %s is in defaults but in no entry point of argument_specs' % (role.name, name))
            continue
        if option.get('default') != value:
            problems.append('%s: %s defaults to %r but argument_specs says %r' % (role.name, name, value, option.get('default')))
        expected = TYPES.get(option.get('type', 'str'), object)
        # A template is checked by Ansible once rendered.
        templated = isinstance(value, str) and '{{' in value
        if not templated and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            problems.append('%s: %s is %r, not of type %s' % (role.name, name, value, option.get('type')))
    for entry, spec in specs.items():
        for name, option in (spec.get('options') or {}).items():
            if 'default' in option and name not in defaults:
                problems.append('%s: %s (entry point %s) has a default but is not in defaults' % (role.name, name, entry))
            if not option.get('description'):
                problems.append('%s: %s has no description' % (role.name, name))
    return problems


def check_shared(roles):
    """The preflight role checks every variable once, against the roles' specs
    merged: a variable that several roles document must have one type."""
    kinds = {}
    for role in roles:
        specs = yaml.safe_load((role / 'meta' / 'argument_specs.yml').read_text())['argument_specs']
        for entry, spec in specs.items():
            for name, option in (spec.get('options') or {}).items():
                kind = dict((key, option.get(key)) for key in ('type', 'elements', 'choices', 'options'))
                kinds.setdefault(name, []).append(('%s (%s)' % (role.name, entry), kind))
    return ['%s is documented differently by %s' % (name, ', '.join(where for where, kind in found))
            for name, found in sorted(kinds.items()) if any(kind != found[0][1] for where, kind in found)]


def main():
    roles_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'roles')
    problems = []
    roles = sorted(p for p in roles_dir.iterdir() if p.is_dir())
    for role in roles:
        problems.extend(check_role(role))
    problems.extend(check_shared(roles))
    listed = yaml.safe_load((roles_dir / 'preflight' / 'vars' / 'main.yml').read_text())['__preflight_roles']
    if sorted(listed) != sorted(role.name for role in roles):
        problems.append('roles/preflight/vars/main.yml: __preflight_roles lists %s but the roles are %s'
                        % (sorted(listed), sorted(role.name for role in roles)))
    for problem in problems:
        print(problem)
    print('%d roles checked, %d problems' % (len(roles), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
