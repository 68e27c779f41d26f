"""HTTPS plumbing: a threading HTTP/1.1 server (keep-alive) over TLS, and the command line entry point."""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import App
from .certs import make_tls
from .messages import Request, Response
from .store import SeedError, Store

HANDSHAKE_TIMEOUT = 10
IDLE_TIMEOUT = 120


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "graphops-emulator/1.0"
    timeout = IDLE_TIMEOUT

    def version_string(self):
        return self.server_version

    def setup(self):
        self.request.settimeout(HANDSHAKE_TIMEOUT)
        self.request.do_handshake()
        super().setup()

    def _serve(self):
        body = self._read_body()
        headers = {}
        for name, value in self.headers.items():
            headers[name.lower()] = value
        response = self.server.app.handle(Request(method=self.command, raw_path=self.path, headers=headers, body=body))
        if response.drop:
            self._hang_up()
            return
        self._write(response)

    def _hang_up(self):
        """Close the connection now, whatever the client still expects."""
        self.close_connection = True
        try:
            self.request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = _serve

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, response: Response):
        payload = response.encoded_body()
        self.send_response(response.status)
        if response.status not in (204, 304):
            if payload:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if payload and response.status not in (204, 304):
            if response.truncate:  # fault: the full Content-Length was announced; half the body, then the socket closes
                self.wfile.write(payload[:len(payload) // 2])
                self.wfile.flush()
                self._hang_up()
                return
            self.wfile.write(payload)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, ssl_context: ssl.SSLContext, verbose: bool = False):
        self.ssl_context = ssl_context
        self.verbose = verbose
        self.app = None
        super().__init__(address, Handler)

    def server_bind(self):
        # HTTPServer.server_bind would resolve a FQDN for the address, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def get_request(self):
        sock, address = self.socket.accept()
        # Headers and body go out in separate writes: without NODELAY, Nagle + delayed ACK add ~40 ms per response.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ssl.SSLError, OSError)):
            return  # failed handshakes and vanished clients are routine for a test server
        super().handle_error(request, client_address)


def write_info(path: str, info: dict):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, tmp_path = tempfile.mkstemp(dir=directory, prefix=".emulator-info-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(info, stream)
    os.replace(tmp_path, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Fake Entra ID + Microsoft Graph (beta) over HTTPS on loopback, for tests.")
    parser.add_argument("--seed", required=True, help="YAML seed file (tenants, apps, entities)")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--info-file", help="where to write {url, ca_bundle, pid} as JSON once listening")
    parser.add_argument("--state-dir", help="directory for ca.pem (default: a new temporary directory)")
    parser.add_argument("--page-size", type=int, default=50, help="server page size of lists (default 50)")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    state_dir = os.path.abspath(args.state_dir or tempfile.mkdtemp(prefix="graphops-emulator-"))
    os.makedirs(state_dir, exist_ok=True)
    try:
        store = Store(os.path.abspath(args.seed), page_size=args.page_size)
    except (OSError, SeedError) as exc:
        sys.stderr.write("emulator: cannot load seed %s: %s\n" % (args.seed, exc))
        return 2
    context, ca_path = make_tls(state_dir)
    server = EmulatorServer(("127.0.0.1", args.port), context, verbose=args.verbose)
    url = "https://127.0.0.1:%d" % server.server_address[1]
    server.app = App(store, url)
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="emulator", daemon=True)
    worker.start()

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda signum, frame: stop.set())
    info = {"url": url, "ca_bundle": ca_path, "pid": os.getpid()}
    if args.info_file:
        write_info(args.info_file, info)
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    if args.info_file:
        try:
            os.remove(args.info_file)
        except OSError:
            pass
    return 0
