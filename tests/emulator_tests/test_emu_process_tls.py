"""Start-up contract (info file, stdout line, clean SIGTERM) and HTTPS with the generated CA."""
from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

import pytest
import requests

from emulator_testlib import SEED, TESTS_DIR, control


def test_health_over_tls_with_generated_ca(emulator, anon):
    response = anon.get("/_emulator/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert os.path.isabs(emulator.ca_bundle) and os.path.exists(emulator.ca_bundle)
    assert emulator.url.startswith("https://127.0.0.1:")


def test_localhost_name_is_in_certificate(emulator):
    port = int(emulator.url.rsplit(":", 1)[1])
    response = requests.get("https://localhost:%d/_emulator/health" % port, verify=emulator.ca_bundle, timeout=10)
    assert response.status_code == 200


def test_client_not_trusting_the_ca_is_rejected(emulator):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(emulator.url + "/_emulator/health", verify=True, timeout=10)
    host, port = "127.0.0.1", int(emulator.url.rsplit(":", 1)[1])
    context = ssl.create_default_context()
    with socket.create_connection((host, port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError):
            context.wrap_socket(raw, server_hostname=host)
    # The server survives failed handshakes.
    assert requests.get(emulator.url + "/_emulator/health", verify=emulator.ca_bundle, timeout=10).ok


def test_keep_alive_reuses_connection(emulator, graph):
    first = graph.get("/beta/deviceManagement/managedDeviceWindowsOSImages")
    second = graph.get("/beta/deviceManagement/managedDeviceWindowsOSImages")
    assert first.status_code == second.status_code == 200
    assert "close" not in first.headers.get("Connection", "").lower()
    pool = graph.session.get_adapter(emulator.url).poolmanager
    assert sum(p.num_connections for p in pool.pools._container.values()) == 1


def test_run_py_from_any_cwd_writes_info_and_exits_cleanly(tmp_path):
    info_file = tmp_path / "info" / "emulator.json"
    process = subprocess.Popen(
        [sys.executable, os.path.join(TESTS_DIR, "emulator", "run.py"), "--seed", SEED, "--port", "0",
         "--info-file", str(info_file), "--state-dir", str(tmp_path / "state"), "--page-size", "2"],
        cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        printed = json.loads(line)
        deadline = time.monotonic() + 10
        while not info_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        written = json.loads(info_file.read_text())
        assert printed == written
        assert written["pid"] == process.pid
        assert written["ca_bundle"] == str(tmp_path / "state" / "ca.pem")
        ctl = control.EmulatorControl(written["url"], written["ca_bundle"])
        assert ctl.state()["config"]["page_size"] == 2
    finally:
        process.send_signal(signal.SIGTERM)
        stderr = process.communicate(timeout=10)[1]
    assert process.returncode == 0, stderr
    assert not info_file.exists()


def test_start_emulator_reports_a_broken_seed(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("tenants:\n  - domains: [x]\n")
    with pytest.raises(control.EmulatorError, match="every tenant needs an id"):
        control.start_emulator(str(bad), str(tmp_path / "state"))
