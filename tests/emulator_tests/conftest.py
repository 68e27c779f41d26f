"""Fixtures: one emulator process per session, reset before every test."""
from __future__ import annotations

import pytest

from emulator_testlib import DEMO_ID, DEMO_SECRET, READER_ID, READER_SECRET, SEED, Client, control, fetch_token


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    process = control.start_emulator(SEED, str(tmp_path_factory.mktemp("emulator")))
    yield process
    process.stop()


@pytest.fixture(scope="session")
def ctl(emulator):
    return control.EmulatorControl(emulator.url, emulator.ca_bundle)


@pytest.fixture(autouse=True)
def fresh_state(ctl):
    ctl.reset()
    yield


@pytest.fixture
def anon(emulator):
    return Client(emulator.url, emulator.ca_bundle)


@pytest.fixture
def graph(emulator):
    response = fetch_token(emulator, DEMO_ID, DEMO_SECRET)
    assert response.status_code == 200, response.text
    return Client(emulator.url, emulator.ca_bundle, response.json()["access_token"])


@pytest.fixture
def reader(emulator):
    response = fetch_token(emulator, READER_ID, READER_SECRET)
    assert response.status_code == 200, response.text
    return Client(emulator.url, emulator.ca_bundle, response.json()["access_token"])
