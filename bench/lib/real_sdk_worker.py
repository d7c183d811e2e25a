"""openstacksdk, the client of bench/real.mjs a Python user would pick, as a worker.

Reads one JSON command a line on stdin, answers one JSON line on stdout with the time the
library took ({"ok": true, "ms": ...}), so the process start and the import are not timed.
Credentials come from the environment (HB_BENCH_*), never printed. Run with /usr/bin/python3
and Debian's python3-openstacksdk.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import openstack

POOL = ThreadPoolExecutor(max_workers=20)


def connect():
    env = os.environ
    return openstack.connect(
        auth_url=env["HB_BENCH_AUTH_URL"],
        username=env["HB_BENCH_USERNAME"],
        password=env["HB_BENCH_PASSWORD"],
        project_name=env["HB_BENCH_PROJECT"],
        user_domain_id="default",
        project_domain_id="default",
        region_name="RegionOne",
    )


CONN = connect()
SERVERS = {}


def server_of(server_id):
    # A program holds the server it attaches to; it is read once, at warm-up.
    if server_id not in SERVERS:
        SERVERS[server_id] = CONN.get_server_by_id(server_id)
    return SERVERS[server_id]


def attach(pair):
    volume = CONN.get_volume_by_id(pair["volume"])
    CONN.attach_volume(server_of(pair["server"]), volume, wait=True)


def detach(pair):
    CONN.detach_volume(server_of(pair["server"]), {"id": pair["volume"]}, wait=True)


def ha(cmd):
    # The cloud layer's create_server sends networks "auto" when given none, which this stack
    # (Neutron without networks) cannot do: the compute proxy's create_server with
    # networks "none" and its wait_for_server are the SDK's own way to the same call.
    server = CONN.compute.create_server(
        name=cmd["name"], image_id=cmd["image"], flavor_id=cmd["flavor"],
        networks="none", availability_zone=cmd["zone"])
    CONN.compute.wait_for_server(server, status="ACTIVE", wait=300)
    CONN.delete_server(server.id, wait=True, timeout=300)


def run_all(fn, pairs):
    for f in [POOL.submit(fn, p) for p in pairs]:
        f.result()


def handle(cmd):
    op = cmd["op"]
    if op == "warm":
        server_of(cmd["server"])
        CONN.get_volume_by_id(cmd["volume"])
    elif op == "seq":
        attach(cmd)
        detach(cmd)
    elif op == "attachAll":
        run_all(attach, cmd["pairs"])
    elif op == "detachAll":
        run_all(detach, cmd["pairs"])
    elif op == "ha":
        ha(cmd)
    else:
        raise ValueError("unknown op " + op)


for line in sys.stdin:
    cmd = json.loads(line)
    started = time.perf_counter()
    try:
        handle(cmd)
        out = {"ok": True, "ms": (time.perf_counter() - started) * 1000}
    except Exception as e:  # reported to the bench as a failed call
        out = {"ok": False, "error": "%s: %s" % (type(e).__name__, str(e)[:300])}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
