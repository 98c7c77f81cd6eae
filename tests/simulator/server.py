"""HTTP plumbing: the threading server and the request handler that routes to the admin API or the API pipeline."""

import socket
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import admin, api, responses

MAX_BODY = 1024 * 1024


class SimulatorServer(ThreadingHTTPServer):
    """Serves one Simulator; daemon threads so a slow (delayed) answer never blocks shutdown."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sim, host, port, verbose=False):
        self.sim = sim
        self.verbose = verbose
        ThreadingHTTPServer.__init__(self, (host, port), Handler)

    def handle_error(self, request, client_address):
        # Clients hanging up on dropped or truncated answers are expected: stay quiet unless verbose.
        if self.verbose:
            ThreadingHTTPServer.handle_error(self, request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ThousandEyesUsageSimulator/1.0"

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        if self.server.verbose:
            BaseHTTPRequestHandler.log_message(self, format, *args)

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self):
        # Read what the client sent: closing a socket with unread input resets the connection before the answer arrives.
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(max(length, 0), MAX_BODY)) if length > 0 else b""

    def _base_url(self):
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        return "http://" + host

    def _dispatch(self):
        self.close_connection = True
        try:
            body = self._read_body()
            target = urlsplit(self.path)
            if target.path == "/_sim" or target.path.startswith("/_sim/"):
                reply = admin.handle(self.server.sim, self.command, target.path, body, self.client_address[0])
            else:
                raw_target = target.path + ("?" + target.query if target.query else "")
                request = api.ApiRequest(self.command, target.path, parse_qs(target.query, keep_blank_values=True),
                                         raw_target, self.headers, self._base_url(), body)
                reply = api.handle(self.server.sim, request)
        except Exception:
            if self.server.verbose:
                traceback.print_exc(file=sys.stderr)
            reply = responses.json_reply(500, {"error": "simulator_error", "error_description": "unexpected simulator error"})
        self._send(reply)

    def _send(self, reply):
        try:
            if reply.drop:
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                # A truncated answer promises the whole body but sends half, then the connection closes.
                self.wfile.write(reply.body[:len(reply.body) // 2] if reply.truncate else reply.body)
        except OSError:
            pass
