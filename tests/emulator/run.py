"""Start the graphops.intune test emulator (fake Entra ID + Microsoft Graph beta over HTTPS on loopback).

    python tests/emulator/run.py --seed tests/emulator/seed.yml --port 0 --info-file PATH [--state-dir DIR] [--page-size N]

See README.md beside this file.
"""
from __future__ import annotations

import importlib
import os
import sys


def _import_server():
    here = os.path.dirname(os.path.abspath(__file__))
    tests_dir = os.path.dirname(here)
    # Run as a script, Python puts this directory first on sys.path; the package's parent must be there instead.
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    sys.path.insert(0, tests_dir)
    return importlib.import_module("emulator.server")


if __name__ == "__main__":
    sys.exit(_import_server().main())
