// Who the client is: the forwarding header is believed only from trusted proxies, and only as
// far back as they reach.
import { describe, expect, it } from 'vitest';
import { clientResolver, isLocal, parseTrustProxy } from '../../src/client-address.ts';

const resolve = (trust: string, peer: string, headers: Record<string, string> = {}, header?: 'forwarded') =>
  clientResolver(parseTrustProxy(trust), header)(new Request('http://localhost/graphql', { headers }), {
    req: { socket: { remoteAddress: peer } },
  });

describe('TRUST_PROXY', () => {
  it('reads none, hop counts and address lists, and says what is wrong otherwise', () => {
    expect(parseTrustProxy('false')).toEqual({ kind: 'none' });
    expect(parseTrustProxy('0')).toEqual({ kind: 'none' });
    expect(parseTrustProxy('true')).toEqual({ kind: 'hops', hops: 1 });
    expect(parseTrustProxy('2')).toEqual({ kind: 'hops', hops: 2 });
    expect(parseTrustProxy('10.0.0.0/8, loopback, 2001:db8::/32')).toEqual({
      kind: 'addresses',
      addresses: ['10.0.0.0/8', 'loopback', '2001:db8::/32'],
    });
    expect(() => parseTrustProxy('10.0.0.0/8, my-proxy')).toThrow(/"my-proxy" is neither/);
    expect(() => parseTrustProxy('11')).toThrow(/at most 10/);
  });
});

describe('the client address', () => {
  it('is the peer when no proxy is trusted, whatever the headers say', () => {
    const client = resolve('false', '203.0.113.5', { 'x-forwarded-for': '127.0.0.1' });
    expect(client.address).toBe('203.0.113.5');
    expect(client.forwarded).toBe(true);
  });

  it('with one trusted hop, is the last entry: what the proxy saw, not what the client wrote', () => {
    const client = resolve('1', '10.0.0.2', { 'x-forwarded-for': '127.0.0.1, 198.51.100.7' });
    expect(client.address).toBe('198.51.100.7');
  });

  it('with two hops (a CDN, then a load balancer), is the entry the CDN wrote', () => {
    const headers = { 'x-forwarded-for': '1.2.3.4, 198.51.100.7, 192.0.2.80' };
    expect(resolve('2', '10.0.0.2', headers).address).toBe('198.51.100.7');
    expect(resolve('1', '10.0.0.2', headers).address).toBe('192.0.2.80');
  });

  it('with proxy addresses, believes the header only from them, and walks back while they are proxies', () => {
    const headers = { 'x-forwarded-for': '127.0.0.1, 198.51.100.7, 10.1.2.3' };
    // Straight from a client: the header is the client's own words.
    expect(resolve('10.0.0.0/8', '203.0.113.9', headers).address).toBe('203.0.113.9');
    // Through two proxies of 10/8: the first address that is not one.
    expect(resolve('10.0.0.0/8', '10.0.0.2', headers).address).toBe('198.51.100.7');
  });

  it('stops at the last address it knows when a trusted hop wrote something that is not one', () => {
    expect(resolve('2', '10.0.0.2', { 'x-forwarded-for': 'unknown, ' }).address).toBe('10.0.0.2');
    expect(resolve('2', '10.0.0.2', { 'x-forwarded-for': 'garbage, 198.51.100.7' }).address).toBe(
      '198.51.100.7',
    );
  });

  it('reads RFC 7239 Forwarded when told to, with quoted IPv6 and ports', () => {
    const headers = {
      forwarded: 'for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https, for=192.0.2.60:8080',
    };
    expect(resolve('2', '10.0.0.2', headers, 'forwarded').address).toBe('2001:db8:cafe::17');
    expect(resolve('1', '10.0.0.2', headers, 'forwarded').address).toBe('192.0.2.60');
    // X-Forwarded-For is then not read.
    expect(resolve('1', '10.0.0.2', { 'x-forwarded-for': '198.51.100.7' }, 'forwarded').address).toBe(
      '10.0.0.2',
    );
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    const a = resolve('false', '2001:db8:1:2:aaaa::1');
    const b = resolve('false', '2001:db8:1:2:bbbb::9');
    expect(a.key).toBe('2001:db8:1:2::/64');
    expect(b.key).toBe(a.key);
    expect(resolve('false', '2001:db8:1:3::1').key).not.toBe(a.key);
    expect(resolve('false', '::ffff:198.51.100.7').address).toBe('198.51.100.7');
  });

  it('is local only from a loopback peer with no forwarding header at all', () => {
    expect(isLocal(resolve('false', '127.0.0.1'))).toBe(true);
    expect(isLocal(resolve('false', '::1'))).toBe(true);
    expect(isLocal(resolve('false', '::ffff:127.0.0.1'))).toBe(true);
    expect(isLocal(resolve('false', '10.0.0.2'))).toBe(false);
    const proxied: Record<string, string>[] = [
      { 'x-forwarded-for': '127.0.0.1' },
      { forwarded: 'for=127.0.0.1' },
      { via: '1.1 a' },
    ];
    for (const headers of proxied) expect(isLocal(resolve('1', '127.0.0.1', headers))).toBe(false);
  });
});
