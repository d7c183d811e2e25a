"""Wait until the stack started by start.sh is usable, not just listening.

    /usr/bin/python3 wait-ready.py STATE_DIR        (deadline: OS_READY_TIMEOUT, default 240 s)

Listening is not enough; each check below is a trap seen on this stack:
- Neutron 21's first GET /v2.0/ports in a fresh worker is a 500 until another query has run
  (SQLAlchemy mappers not configured yet): GET /v2.0/networks, then ports must answer 200.
- nova-compute must have a heartbeat newer than this start (after a restart the old "up" lingers)
  and a hypervisor mapped into the cell, or boots fail with "No valid host".
- Both cinder-volume backends must be up and cinder-scheduler must list both pools, else a volume
  create sits in "creating" until the backends' next capability report.
A service process that dies fails the wait at once, with the tail of its logs.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

D = sys.argv[1]
STATE = json.load(open(os.path.join(D, 'state.json')))
STARTED = open(os.path.join(D, 'started-at')).read().strip()
DEADLINE = time.time() + float(os.environ.get('OS_READY_TIMEOUT', '240'))
P = STATE['ports']
T0 = time.time()


def log(msg):
    sys.stderr.write('openstack: [%5.1fs] %s\n' % (time.time() - T0, msg))


def tail(name, lines=25):
    for suffix in ('.out', '.log'):
        path = os.path.join(D, 'log', name + suffix)
        if os.path.exists(path) and os.path.getsize(path) > 0:
            with open(path, errors='replace') as f:
                sys.stderr.write('--- tail %s\n%s' % (path, ''.join(f.readlines()[-lines:])))


def dead_service():
    for entry in sorted(os.listdir(os.path.join(D, 'pids'))):
        name = entry[:-4]
        try:
            os.kill(int(open(os.path.join(D, 'pids', entry)).read()), 0)
        except (OSError, ValueError):
            return name
    return None


def fail(name, msg):
    log(msg)
    tail(name)
    sys.exit(1)


def request(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('X-Auth-Token', token)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers, json.loads(r.read() or b'null')
    except urllib.error.HTTPError as e:
        return e.code, e.headers, None
    except (urllib.error.URLError, OSError, ValueError):
        return 0, {}, None


def until(what, service, probe):
    """Polls probe() until it returns a true value; fails fast on a dead process or the deadline."""
    while True:
        result = probe()
        if result:
            log(what)
            return result
        dead = dead_service()
        if dead:
            fail(dead, '%s exited while waiting for: %s' % (dead, what))
        if time.time() > DEADLINE:
            fail(service, 'not ready in time: %s' % what)
        time.sleep(0.5)


def get_token():
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': STATE['adminUser'], 'domain': {'id': 'default'}, 'password': STATE['adminPassword']}}},
        'scope': {'project': {'name': STATE['adminProject'], 'domain': {'id': 'default'}}}}}
    status, headers, parsed = request('POST', STATE['keystoneUrl'] + '/auth/tokens', body)
    if status != 201:
        return None
    return headers['X-Subject-Token'], parsed['token']['project']['id']


token, project = until('keystone issues tokens', 'keystone', get_token)
neutron = 'http://127.0.0.1:%d/v2.0' % P['neutron']
until('neutron answers the ports query', 'neutron-server', lambda: (
    request('GET', neutron + '/networks', token=token)[0] == 200 and
    request('GET', neutron + '/ports', token=token)[0] == 200))
nova = 'http://127.0.0.1:%d/v2.1' % P['nova']


def compute_ready():
    _, _, hv = request('GET', nova + '/os-hypervisors', token=token)
    _, _, sv = request('GET', nova + '/os-services?binary=nova-compute', token=token)
    up = [h for h in (hv or {}).get('hypervisors', []) if h.get('state') == 'up']
    fresh = [s for s in (sv or {}).get('services', [])
             if s.get('state') == 'up' and (s.get('updated_at') or '') >= STARTED]
    return bool(up and fresh)


until('nova-compute heartbeating and mapped', 'nova-compute', compute_ready)
cinder = 'http://127.0.0.1:%d/v3/%s' % (P['cinder'], project)


def volumes_ready():
    _, _, sv = request('GET', cinder + '/os-services?binary=cinder-volume', token=token)
    fresh = [s for s in (sv or {}).get('services', [])
             if s.get('state') == 'up' and (s.get('updated_at') or '') >= STARTED]
    return len(fresh) >= 2


until('both cinder-volume backends up', 'cinder-volume', volumes_ready)
until('cinder-scheduler lists both pools', 'cinder-scheduler', lambda: len(
    (request('GET', cinder + '/scheduler-stats/get_pools', token=token)[2] or {}).get('pools', [])) >= 2)

# Not readiness, but needed before a suite: the default quotas (10 volumes, 10 servers) are less
# than one contract run makes before its cleanup. Unlimited for the admin project; idempotent.
if request('PUT', cinder + '/os-quota-sets/' + project,
           {'quota_set': {'volumes': -1, 'gigabytes': -1, 'snapshots': -1}}, token)[0] != 200 or \
   request('PUT', nova + '/os-quota-sets/' + project,
           {'quota_set': {'instances': -1, 'cores': -1, 'ram': -1}}, token)[0] != 200:
    fail('nova-api', 'could not lift the admin project quotas')
log('admin project quotas unlimited')
