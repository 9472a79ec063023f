"""The built site on http://127.0.0.1:<free port><site path>, with text gzip-compressed as
GitHub Pages sends it: for the browser tests (the page-weight test counts the bytes that
travel) and for benchmarks/lighthouse.py."""

import functools
import gzip
import http.server
import io
import sys
import threading
import urllib.parse
from pathlib import Path

COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".inv", ".map"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    site_path = "/"        # "/nnguide/": set per server

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        if not path.startswith(self.site_path):
            return str(Path(self.directory) / "not-below-the-site-path")     # a 404
        return super().translate_path("/" + path[len(self.site_path):])

    def send_head(self):
        file = Path(self.translate_path(self.path))
        if file.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            file = file / "index.html"
        if not (file.suffix in COMPRESSED and file.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()     # images, fonts, redirects, 404s: the usual way
        body = _gzipped(file)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


@functools.cache
def _gzipped(file):
    return gzip.compress(file.read_bytes(), mtime=0)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up: fine
            super().handle_error(request, client_address)


def serve(directory, site_path):
    """Serve directory at site_path in a background thread.

    Returns the server (``server.shutdown()`` stops it) and the site's address.
    """
    handler = type("Handler", (_Handler,), {"site_path": site_path})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{site_path}"
