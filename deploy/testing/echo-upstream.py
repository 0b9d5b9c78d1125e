#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The upstream of the gateway tests: answers every request with 200 and a JSON echo of its method, path
and headers, and appends the same JSON as one line to a request log, so a test can tell what reached it.
Usage: echo-upstream.py PORT LOG_FILE   (binds 127.0.0.1)"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real upstream behind nginx's keepalive pool

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        seen = {"method": self.command, "path": self.path, "headers": [[k, v] for k, v in self.headers.items()]}
        body = (json.dumps(seen) + "\n").encode()
        if LOG is not None:
            with LOCK, open(LOG, "ab") as f:
                f.write(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = answer

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    LOG = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
