"""A small HTTP server for Simpul's webhook tests, on 127.0.0.1 only (Python's http.server).

Started by Tests/Rigs/HTTPSink.swift. Each POST is stored in --dir as N.json: the method, path,
headers and body as received, written to a temporary name and renamed. It answers the status in
the file --dir/status (200 when there is none; read on every request, so a test can change it), after
waiting the milliseconds in --dir/delay_ms when that file exists. The port (a free one) is written to
--port-file once it accepts connections.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    # The test process that starts us blocks most signals in its threads, and a child inherits the
    # mask: unblock them, or the SIGTERM that stops us would wait forever.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    count = [0]

    def read(name, default):
        try:
            with open(os.path.join(args.dir, name)) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return default

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            count[0] += 1
            path = os.path.join(args.dir, "%04d.json" % count[0])
            with open(path + ".tmp", "w") as f:
                json.dump({
                    "method": "POST",
                    "path": self.path,
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "body": body.decode("utf-8", "replace"),
                }, f)
            os.rename(path + ".tmp", path)
            delay = read("delay_ms", 0)
            if delay:
                time.sleep(delay / 1000)
            status = read("status", 200)
            answer = json.dumps({"ok": 200 <= status < 300, "status": status}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *arguments):
            sys.stderr.write("http_sink: " + (format % arguments) + "\n")

    # Gone with the test process, even when it dies without stopping us.
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
