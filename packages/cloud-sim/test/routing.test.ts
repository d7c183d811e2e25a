import { describe, expect, it } from 'vitest';
import { pathMatches } from '../src/path-pattern.js';
import { RouteTable } from '../src/route-table.js';

describe('RouteTable', () => {
  const ok = () => ({ status: 200 });
  const table = new RouteTable()
    .add('GET', '/servers/detail', ok)
    .add('GET', '/servers/{id}', ok)
    .add('DELETE', '/servers/{id}', ok);

  it('captures placeholders and keys the route by its pattern', () => {
    expect(table.match('GET', '/servers/abc')).toMatchObject({
      key: 'GET /servers/{id}',
      params: { id: 'abc' },
    });
    expect(table.match('GET', '/servers/detail')?.key).toBe('GET /servers/detail');
    expect(table.match('DELETE', '/servers/x', '/admin')?.key).toBe('DELETE /admin/servers/{id}');
  });

  it('misses other methods, lengths and malformed escapes', () => {
    expect(table.match('PUT', '/servers/abc')).toBeUndefined();
    expect(table.match('GET', '/servers/a/b')).toBeUndefined();
    expect(table.match('GET', '/servers/%E0%A4%A')).toBeUndefined();
    expect(table.patternOf('/servers/abc')).toBe('/servers/{id}');
    expect(table.patternOf('/flavors')).toBeUndefined();
  });
});

describe('pathMatches (fault rule paths)', () => {
  const route = '/compute/{region}/v2.1/{project}/servers/{id}';
  it.each([
    ['/compute/{region}/v2.1/{project}/servers/{id}', '/compute/r/v2.1/p/servers/abc', route, true],
    [
      '/compute/{region}/v2.1/{project}/servers/{id}',
      '/compute/r/v2.1/p/servers/detail',
      '/compute/{region}/v2.1/{project}/servers/detail',
      false,
    ],
    [
      '/compute/*/v2.1/*/servers/*',
      '/compute/r/v2.1/p/servers/detail',
      '/compute/{region}/v2.1/{project}/servers/detail',
      true,
    ],
    ['/compute/RegionTwo/**', '/compute/RegionTwo/v2.1/p/servers/abc', route, true],
    ['/compute/RegionTwo/**', '/compute/RegionOne/v2.1/p/servers/abc', route, false],
    ['/v3/auth/tokens', '/v3/auth/tokens', '/v3/auth/tokens', true],
    ['/v3/auth/tokens', '/v3/auth/tokens/x', undefined, false],
  ])('%s vs %s -> %s', (pattern, path, routePattern, expected) => {
    expect(pathMatches(pattern, path, routePattern)).toBe(expected);
  });
});
