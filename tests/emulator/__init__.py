"""Test emulator for graphops.intune: a fake Entra ID token endpoint and a stateful fake Microsoft Graph (beta).

Start it with ``python tests/emulator/run.py``; tests use :mod:`emulator.control`.
"""
