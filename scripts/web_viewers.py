"""Viewers of the web view's update stream for the load test (scripts/bench-web): N
connections to /events, the first of them stalled (a 4 KiB receive buffer it never reads
after the status line), the others reading every message. A reader checks that each delta's
`seq` is one more than the last: a gap, or a second full message, means it lost updates.

    python scripts/web_viewers.py URL [--viewers 16] [--stalled 1] [--seconds S]

Prints one JSON line: per viewer its messages, gaps and full messages. Only the standard
library; every connection is to the URL's host, a loopback address.
"""
import argparse
import json
import re
import socket
import threading
import time
from urllib.parse import urlsplit

SEQ = re.compile(rb'^data: \{"kind":"(\w+)","seq":(\d+)')


def open_stream(url, small_buffer):
    parts = urlsplit(url)
    s = socket.socket()
    if small_buffer:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((parts.hostname, parts.port))
    target = "/events" + (("?" + parts.query) if parts.query else "")
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    return s


def reader(url, deadline, result):
    s = open_stream(url, False)
    s.settimeout(5)
    f = s.makefile("rb")
    status = f.readline()
    result["status"] = int(status.split()[1])
    last = None
    while time.time() < deadline:
        try:
            line = f.readline()
        except socket.timeout:
            continue
        if not line:
            break
        m = SEQ.match(line)
        if not m:
            continue
        kind, seq = m.group(1).decode(), int(m.group(2))
        result["messages"] += 1
        if kind == "full":
            result["full"] += 1
        elif kind == "delta" and last is not None and seq != last + 1:
            result["gaps"] += 1
        elif kind == "end":
            break
        last = seq
    s.close()


def stalled(url, deadline, result):
    s = open_stream(url, True)
    result["status"] = int(s.recv(64).split()[1])
    while time.time() < deadline:
        time.sleep(0.2)
    s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--viewers", type=int, default=16)
    ap.add_argument("--stalled", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    deadline = time.time() + args.seconds
    results, threads = [], []
    for k in range(args.viewers):
        r = {"stalled": k < args.stalled, "status": None, "messages": 0, "gaps": 0, "full": 0}
        results.append(r)
        t = threading.Thread(target=stalled if r["stalled"] else reader,
                             args=(args.url, deadline, r), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(args.seconds + 10)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
