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


@pytest.fixture(scope="session")
def token_cache():
    """Tokens survive resets; a test that expires them clears this."""
    return {}


def _token(emulator, token_cache, client_id, secret):
    if client_id not in token_cache:
        response = fetch_token(emulator, client_id, secret)
        assert response.status_code == 200, response.text
        token_cache[client_id] = response.json()["access_token"]
    return token_cache[client_id]


@pytest.fixture
def anon(emulator):
    return Client(emulator.url, emulator.ca_bundle)


@pytest.fixture
def graph(emulator, token_cache):
    return Client(emulator.url, emulator.ca_bundle, _token(emulator, token_cache, DEMO_ID, DEMO_SECRET))


@pytest.fixture
def reader(emulator, token_cache):
    return Client(emulator.url, emulator.ca_bundle, _token(emulator, token_cache, READER_ID, READER_SECRET))
