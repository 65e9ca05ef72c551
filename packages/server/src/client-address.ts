// Who the client is, by network address: the one answer that budgets, stream caps, /metrics and
// the logs all use. The TCP peer is the client unless it is a trusted proxy (TRUST_PROXY); then
// the forwarding header is read from its end, one entry per trusted hop, and the first address
// that is not a trusted proxy is the client. Entries beyond the trusted hops were written by the
// client itself and are never believed.
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** TRUST_PROXY: nobody (the peer is the client), a number of proxy hops, or the proxies' addresses. */
export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  /** Addresses or CIDR ranges, or proxy-addr's names: loopback, linklocal, uniquelocal. */
  | { kind: 'addresses'; addresses: string[] };

/** Which header trusted proxies write: X-Forwarded-For, or RFC 7239 Forwarded (PROXY_HEADER). */
export type ProxyHeader = 'x-forwarded-for' | 'forwarded';

export interface ClientIdentity {
  /** The client's address, normalised (IPv4-mapped IPv6 as IPv4), or "unknown". */
  address: string;
  /**
   * The key its anonymous budget and streams are counted under: the address, or for IPv6 its
   * /64 network, since one subscriber line is given a whole /64 to pick addresses from.
   */
  key: string;
  /** The TCP peer, normalised. */
  peer: string;
  /** The request carries a forwarding header, believed or not: it came through a proxy. */
  forwarded: boolean;
}

/** Headers a proxy adds: any of them means the peer is not the client, whatever TRUST_PROXY says. */
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'via',
];

/**
 * Reads TRUST_PROXY: "false"/"0" (no proxy), "true" (one hop), a hop count, or a comma-separated
 * list of the proxies' addresses and ranges. Throws an Error saying what is wrong.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (['false', 'no', 'off', '0', ''].includes(text)) return { kind: 'none' };
  if (['true', 'yes', 'on'].includes(text)) return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new Error('must be at most 10 proxy hops');
    return { kind: 'hops', hops };
  }
  const addresses = text
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const address of addresses) {
    try {
      proxyAddr.compile(address);
    } catch {
      throw new Error(
        `must be a number of proxy hops, or proxies' addresses and CIDR ranges such as "10.0.0.0/8, loopback"; "${address}" is neither`,
      );
    }
  }
  return { kind: 'addresses', addresses };
}

/** An address as the budgets and logs see it, or null if it is not an IP address. */
export function normaliseAddress(value: string): string | null {
  try {
    const parsed = ipaddr.process(value.trim());
    return parsed.toString();
  } catch {
    return null;
  }
}

function budgetKey(address: string): string {
  if (!ipaddr.IPv6.isValid(address) || ipaddr.IPv4.isValid(address)) return address;
  const bytes = ipaddr.IPv6.parse(address).toByteArray().slice(0, 8);
  return `${ipaddr.fromByteArray([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]).toString()}/64`;
}

/** The "for" addresses of a Forwarded header, nearest proxy last, as X-Forwarded-For lists them. */
function forwardedFor(header: string): string[] {
  const addresses: string[] = [];
  for (const element of header.split(',')) {
    const pair = element
      .split(';')
      .map((p) => p.trim())
      .find((p) => p.toLowerCase().startsWith('for='));
    // A hop with no "for" (or an obfuscated one) still counts: it cannot be a believed address.
    let value = pair ? pair.slice(4).trim().replace(/^"|"$/g, '') : '';
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
    if (bracketed) value = bracketed[1]!;
    else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
    addresses.push(value);
  }
  return addresses;
}

export type ClientResolver = (request: Request, serverContext: unknown) => ClientIdentity;

interface NodeServerContext {
  req?: { socket?: { remoteAddress?: string } };
}

/** The resolver for one configuration. Each request is resolved once. */
export function clientResolver(trust: TrustProxy, header: ProxyHeader = 'x-forwarded-for'): ClientResolver {
  const trusted: (address: string, hop: number) => boolean =
    trust.kind === 'none'
      ? () => false
      : trust.kind === 'hops'
        ? (_address, hop) => hop < trust.hops
        : proxyAddr.compile(trust.addresses);
  const resolved = new WeakMap<Request, ClientIdentity>();

  return (request, serverContext) => {
    const known = resolved.get(request);
    if (known) return known;
    const rawPeer = (serverContext as NodeServerContext | undefined)?.req?.socket?.remoteAddress;
    const peer = (rawPeer && normaliseAddress(rawPeer)) ?? 'unknown';
    const forwarded = FORWARDING_HEADERS.some((name) => request.headers.has(name));
    // Nearest first: the peer, then the header's entries from its end.
    let client = peer;
    const raw = trust.kind === 'none' ? null : request.headers.get(header);
    // An app called in-process (no socket) trusts by hop count only: "unknown" matches no range.
    if (raw !== null) {
      const entries = (header === 'forwarded' ? forwardedFor(raw) : raw.split(',')).reverse();
      for (let hop = 0; hop < entries.length && trusted(client, hop); hop++) {
        const next = normaliseAddress(entries[hop]!);
        // A trusted proxy wrote something that is not an address: stop at the last one we know.
        if (next === null) break;
        client = next;
      }
    }
    const identity = {
      address: client,
      key: client === 'unknown' ? client : budgetKey(client),
      peer,
      forwarded,
    };
    resolved.set(request, identity);
    return identity;
  };
}

/** This machine: a loopback peer, with no sign of a proxy in between. */
export function isLocal(identity: ClientIdentity): boolean {
  if (identity.forwarded) return false;
  try {
    return ipaddr.parse(identity.peer).range() === 'loopback';
  } catch {
    return false;
  }
}
