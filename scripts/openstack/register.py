"""Register the stack's users, roles, services and endpoints in Keystone. Idempotent.

    /usr/bin/python3 register.py KEYSTONE_V3_URL ADMIN_PASSWORD SERVICE_PASSWORD PORTS_JSON

Every service goes into RegionOne. Compute and block storage are listed again under RegionTwo,
pointing at the same Nova and Cinder: the cascading driver's suite sees two regions (two
"cascaded clouds") and proves its ids and routing on real services.
"""

import json
import sys

import requests

KS, ADMIN_PW, SERVICE_PW, PORTS = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
TIMEOUT = 30


def token():
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'}, 'password': ADMIN_PW}}},
        'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
    r = requests.post(KS + '/auth/tokens', json=body, timeout=TIMEOUT)
    r.raise_for_status()
    return {'X-Auth-Token': r.headers['X-Subject-Token']}


H = token()


def find_or_create(kind, key, body, **query):
    r = requests.get('%s/%s' % (KS, kind), headers=H, params=query, timeout=TIMEOUT)
    r.raise_for_status()
    found = r.json()[kind]
    if found:
        return found[0]
    r = requests.post('%s/%s' % (KS, kind), headers=H, json={key: body}, timeout=TIMEOUT)
    r.raise_for_status()
    return r.json()[key]


def grant(project, user, role):
    url = '%s/projects/%s/users/%s/roles/%s' % (KS, project['id'], user['id'], role['id'])
    requests.put(url, headers=H, timeout=TIMEOUT).raise_for_status()


service_project = find_or_create('projects', 'project', {'name': 'service', 'domain_id': 'default'}, name='service')
roles = {n: find_or_create('roles', 'role', {'name': n}, name=n) for n in ('admin', 'service', 'member', 'reader')}
for name in ('nova', 'cinder', 'glance', 'placement', 'neutron'):
    user = find_or_create('users', 'user', {'name': name, 'password': SERVICE_PW, 'domain_id': 'default'}, name=name)
    # admin + service: Nova sends service tokens, and Cinder accepts some attachment calls only with them.
    grant(service_project, user, roles['admin'])
    grant(service_project, user, roles['service'])

base = 'http://127.0.0.1:%d'
catalog = [
    ('nova', 'compute', (base % PORTS['nova']) + '/v2.1', ['RegionOne', 'RegionTwo']),
    ('cinderv3', 'volumev3', (base % PORTS['cinder']) + '/v3/%(project_id)s', ['RegionOne', 'RegionTwo']),
    ('cinder', 'block-storage', (base % PORTS['cinder']) + '/v3/%(project_id)s', ['RegionOne', 'RegionTwo']),
    ('placement', 'placement', base % PORTS['placement'], ['RegionOne']),
    ('glance', 'image', base % PORTS['glance'], ['RegionOne', 'RegionTwo']),
    ('neutron', 'network', base % PORTS['neutron'], ['RegionOne', 'RegionTwo']),
]
r = requests.get(KS + '/regions/RegionTwo', headers=H, timeout=TIMEOUT)
if r.status_code == 404:
    requests.post(KS + '/regions', headers=H, json={'region': {'id': 'RegionTwo'}}, timeout=TIMEOUT).raise_for_status()
for name, kind, url, regions in catalog:
    service = find_or_create('services', 'service', {'name': name, 'type': kind}, type=kind)
    for region in regions:
        for interface in ('public', 'internal', 'admin'):
            find_or_create('endpoints', 'endpoint',
                           {'service_id': service['id'], 'interface': interface, 'url': url, 'region_id': region},
                           service_id=service['id'], interface=interface, region_id=region)
print('keystone: users, services and endpoints registered')
