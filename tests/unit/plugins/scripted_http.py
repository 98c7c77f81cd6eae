# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted HTTP server on 127.0.0.1 (the HTTP boundary of the client tests) and a fake clock."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeClock:
    """Stands in for SystemClock: sleeping only advances the fake time and is recorded."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


class Reply:
    def __init__(self, status=200, body=None, headers=None, raw=None, drop=False, delay=0.0, truncate=False):
        self.status = status
        self.headers = dict(headers or {})
        if raw is None:
            raw = b'' if body is None else json.dumps(body).encode()
            self.headers.setdefault('Content-Type', 'application/problem+json' if status >= 400 else
                                    'application/hal+json')
        self.raw = raw.encode() if isinstance(raw, str) else raw
        self.drop = drop
        self.delay = delay
        self.truncate = truncate


class ScriptedServer:
    """Answers each request with the next queued Reply (the last one repeats); records what it received."""

    def __init__(self):
        self.replies = []
        self.received = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server.received.append({'path': self.path, 'headers': dict(self.headers)})
                reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(reply.raw)))
                self.end_headers()
                self.wfile.write(reply.raw[:len(reply.raw) // 2] if reply.truncate else reply.raw)
                if reply.truncate:
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = 'http://127.0.0.1:%d/v7' % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def queue(self, *replies):
        self.replies.extend(replies)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
