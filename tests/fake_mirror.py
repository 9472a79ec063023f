"""A fake MNIST mirror for tests: an HTTP server on 127.0.0.1 in a thread.

One server plays several mirrors, one per path prefix: ``url("a")`` is
``http://127.0.0.1:<port>/a/``. Each prefix has a behaviour (``modes``):

=================  =============================================================
``good``           the file, with its Content-Length (the default)
``slow``           the file in ``piece`` bytes every ``interval`` seconds
``trickle``        the headers, then one byte every ``interval`` seconds
``trickle_head``   the status line and headers themselves, one byte at a time
``silent``         accepts the connection, then sends nothing
``close_early``    the headers (full Content-Length), half the body, then closes
``not_found``      404
``bomb``           ``bomb`` (e.g. a gzip bomb) instead of the file
=================  =============================================================

``requests`` lists the paths asked for, in order. ``close()`` stops every
handler, including those still trickling.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeMirror:
    """Serve ``files`` ({"name.gz": bytes}) under every prefix, by its mode."""

    def __init__(self, files, interval=0.05, piece=256):
        self.files = dict(files)
        self.modes = {}
        self.bomb = b""
        self.interval = interval
        self.piece = piece
        self.requests = []
        self.stopping = threading.Event()
        handler = type("Handler", (_Handler,), {"mirror": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        # A short poll interval: shutdown() returns within 0.05 s, not 0.5 s.
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True, name="fake-mirror")
        self._thread.start()

    @property
    def address(self):
        """``(host, port)`` that clients connect to."""
        return self.server.server_address[:2]

    def url(self, prefix):
        """Base URL of the mirror ``prefix`` (ends with a slash)."""
        host, port = self.address
        return f"http://{host}:{port}/{prefix}/"

    def close(self):
        """Stop serving; handlers that trickle or stay silent end too."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    mirror = None  # set per server by FakeMirror

    def log_message(self, format, *args):
        pass  # keep the test output clean

    def do_GET(self):
        mirror = self.mirror
        mirror.requests.append(self.path)
        prefix, _, name = self.path.strip("/").partition("/")
        mode = mirror.modes.get(prefix, "good")
        body = mirror.bomb if mode == "bomb" else mirror.files.get(name)
        if mode == "not_found" or body is None:
            self.send_error(404, "Not Found")
            return
        try:
            getattr(self, f"_{mode}")(body)
        except OSError:
            pass  # the client hung up: that is what clients of a bad mirror do

    def _headers(self, length):
        self.send_response(200)
        self.send_header("Content-Type", "application/gzip")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _good(self, body):
        self._headers(len(body))
        self.wfile.write(body)

    _bomb = _good

    def _slow(self, body):
        self._headers(len(body))
        for start in range(0, len(body), self.mirror.piece):
            self.wfile.write(body[start:start + self.mirror.piece])
            self.wfile.flush()
            if self.mirror.stopping.wait(self.mirror.interval):
                return

    def _trickle(self, body):
        self._headers(len(body))
        self._one_byte_at_a_time(body)

    def _trickle_head(self, body):
        head = (f"HTTP/1.0 200 OK\r\nContent-Type: application/gzip\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self._one_byte_at_a_time(head + body)

    def _one_byte_at_a_time(self, data):
        for i in range(len(data)):
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()
            if self.mirror.stopping.wait(self.mirror.interval):
                return

    def _silent(self, body):
        self.mirror.stopping.wait()

    def _close_early(self, body):
        self._headers(len(body))
        self.wfile.write(body[: len(body) // 2])
