# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for ansible-test's get-pip bootstrap script, which it downloads from a host this
network cannot reach. It installs the interpreter's bundled pip (ensurepip), then asks that
pip for the packages ansible-test wanted, from the package index pip is configured for."""

from __future__ import annotations

import subprocess
import sys


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'], stdout=subprocess.DEVNULL)
    # get-pip.py's own flags (--no-setuptools, --no-wheel) mean "do not add these": pip lacks them.
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)


if __name__ == '__main__':
    main()
