#!/usr/bin/env python3
"""Sign-in latency of an unrelated user while 64 concurrent wrong-password sign-ins flood one account.

Usage: python3 scripts/signin-flood.py http://127.0.0.1:5080 [--workers 64] [--samples 15] [--spread one|many]

Signs up a victim and a bystander, starts the flood (each worker: wrong-password sign-in for the victim, again and
again), waits until the flood has had 64 answers, then signs the bystander in `samples` times, one after another,
and prints the median and every latency, plus the flood's answers by status. The attacker and the bystander are
different clients: both are sent as if relayed by a local reverse proxy (X-Forwarded-For; loopback is a trusted
proxy), the flood from one address (--spread one) or from a new address per request (--spread many).
"""
import argparse, http.client, json, statistics, threading, time, urllib.parse, uuid
from collections import Counter

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("--workers", type=int, default=64)
p.add_argument("--samples", type=int, default=15)
p.add_argument("--spread", choices=["one", "many"], default="one")
args = p.parse_args()
target = urllib.parse.urlparse(args.url)


def post(conn, path, body, forwarded_for):
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for})
    r = conn.getresponse()
    r.read()
    return r.status


def connect():
    return http.client.HTTPConnection(target.hostname, target.port, timeout=120)


def sign_up(name, forwarded_for):
    status = post(connect(), "/api/auth/signup", {"username": name, "password": "correct horse"}, forwarded_for)
    assert status == 201, f"sign-up of {name}: {status}"


run = uuid.uuid4().hex[:8]
victim, bystander = f"victim_{run}", f"bystander_{run}"
sign_up(victim, "192.0.2.1")
sign_up(bystander, "192.0.2.2")

answers = Counter()
lock = threading.Lock()
stop = threading.Event()
flooding = threading.Event()
sent = [0]


def flood():
    conn = connect()
    while not stop.is_set():
        with lock:
            sent[0] += 1
            n = sent[0]
        source = "198.51.100.66" if args.spread == "one" else f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        try:
            status = post(conn, "/api/auth/signin", {"username": victim, "password": f"guess {n}"}, source)
        except (OSError, http.client.HTTPException):
            conn = connect()
            status = "error"
        with lock:
            answers[status] += 1
            if sum(answers.values()) >= args.workers:  # every worker has been answered once
                flooding.set()


threads = [threading.Thread(target=flood, daemon=True) for _ in range(args.workers)]
for t in threads:
    t.start()
if args.workers:
    flooding.wait(300)

latencies = []
conn = connect()
for _ in range(args.samples):
    started = time.perf_counter()
    status = post(conn, "/api/auth/signin", {"username": bystander, "password": "correct horse"}, "203.0.113.5")
    latencies.append((time.perf_counter() - started) * 1000)
    assert status == 200, f"bystander sign-in: {status}"
stop.set()

print(f"bystander sign-in during a {args.workers}-way wrong-password flood ({args.spread} client address(es)): "
      f"median {statistics.median(latencies):.0f} ms; all: {', '.join(f'{l:.0f}' for l in latencies)}")
print(f"flood answers: {dict(sorted(((str(k), v) for k, v in answers.items())))}")
