"""Client helpers for tests and scripts: start/stop the emulator process and drive its /_emulator control API."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests

RUN_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run.py")
DEFAULT_SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed.yml")


class EmulatorError(RuntimeError):
    """The emulator did not start, or a control call failed."""


class EmulatorProcess:
    """A running emulator; stop() (or leaving the `with` block) terminates it."""

    def __init__(self, process: subprocess.Popen, info: dict, state_dir: str):
        self.process = process
        self.info = info
        self.state_dir = state_dir
        self.url = info["url"]
        self.ca_bundle = info["ca_bundle"]
        self.pid = info["pid"]

    def control(self) -> "EmulatorControl":
        return EmulatorControl(self.url, self.ca_bundle)

    def stop(self, timeout: float = 10):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _stderr_of(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-5000:]
    except OSError:
        return ""


def start_emulator(seed_path: str = DEFAULT_SEED, state_dir: str | None = None, page_size: int | None = None,
                   timeout: float = 20, extra_args=()) -> EmulatorProcess:
    """Spawn run.py with this Python and wait for its info file."""
    if state_dir is None:
        import tempfile
        state_dir = tempfile.mkdtemp(prefix="graphops-emulator-")
    state_dir = os.path.abspath(str(state_dir))
    os.makedirs(state_dir, exist_ok=True)
    info_file = os.path.join(state_dir, "emulator.json")
    if os.path.exists(info_file):
        os.remove(info_file)
    command = [sys.executable, RUN_PY, "--seed", os.path.abspath(str(seed_path)), "--port", "0", "--info-file", info_file,
               "--state-dir", state_dir]
    if page_size is not None:
        command += ["--page-size", str(page_size)]
    command += list(extra_args)
    stderr_path = os.path.join(state_dir, "emulator.stderr")
    with open(stderr_path, "wb") as stderr, open(os.path.join(state_dir, "emulator.stdout"), "wb") as stdout:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError("emulator exited with %s:\n%s" % (process.returncode, _stderr_of(stderr_path)))
        if os.path.exists(info_file):
            with open(info_file, encoding="utf-8") as handle:
                return EmulatorProcess(process, json.load(handle), state_dir)
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise EmulatorError("emulator did not start within %s s:\n%s" % (timeout, _stderr_of(stderr_path)))


class EmulatorControl:
    """Thin wrapper over /_emulator; every method raises EmulatorError on a non-2xx answer."""

    def __init__(self, url: str, ca_bundle: str, session: requests.Session | None = None, timeout: float = 10):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.ca_bundle = ca_bundle
        self.timeout = timeout

    def _call(self, method: str, name: str, body=None, params=None):
        # verify per call: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override Session.verify.
        response = self.session.request(method, "%s/_emulator/%s" % (self.url, name), json=body, params=params, timeout=self.timeout,
                                        verify=self.ca_bundle)
        if not response.ok:
            raise EmulatorError("%s /_emulator/%s -> %s %s" % (method, name, response.status_code, response.text))
        return response.json()

    def health(self) -> dict:
        return self._call("GET", "health")

    def requests(self, kind: str | None = None, since: int | None = None) -> list:
        params = {key: value for key, value in (("kind", kind), ("since", since)) if value is not None}
        return self._call("GET", "requests", params=params)["value"]

    def clear_requests(self):
        return self._call("DELETE", "requests")

    def add_fault(self, **spec):
        return self._call("POST", "faults", spec)["id"]

    def faults(self) -> list:
        return self._call("GET", "faults")["value"]

    def clear_faults(self):
        return self._call("DELETE", "faults")

    def reset(self, seed: dict | None = None):
        return self._call("POST", "reset", {"seed": seed} if seed is not None else {})

    def state(self) -> dict:
        return self._call("GET", "state")

    def add_app(self, **app):
        return self._call("POST", "apps", app)

    def expire_tokens(self):
        return self._call("POST", "expire-tokens")

    def set_page_size(self, page_size: int | None):
        return self._call("PUT", "config", {"page_size": page_size})

    def add_managed_devices(self, count: int, **options) -> int:
        """Generate `count` managed devices at once (options: start, name_prefix, operating_systems)."""
        return self._call("POST", "managed-devices", dict(options, count=count))["added"]

    def configure(self, **config):
        """PUT /config: page_size and the performance model (throttle, batch_item_ms, batch_parallelism,
        request_latency_ms, request_log); see throttle.py."""
        return self._call("PUT", "config", config)

    def stats(self) -> dict:
        """Counters since the last reset or log clear: http_requests, batch_requests, batch_items,
        throttled_requests, throttled_batch_items, token_requests, max_in_flight, in_flight."""
        return self._call("GET", "stats")
