// What both widgets share: URLs taken from attributes, where the API is, one client per API,
// readable failure messages and the theme's defaults. (The DOM builder `h` is ../dom.ts, shared
// with the dashboard.)
import { createBaseClient } from '@maths-hubs/sdk';
import { failureKind, graphqlEndpoint } from '../api.ts';

/** Where this script was loaded from: the API's default origin. */
const SCRIPT_URL = import.meta.url;

const warned = new Set<string>();

/**
 * A URL from a widget's attribute, resolved against the page, if it is http:, https: or relative;
 * else null (the attribute is ignored) and a warning, once, naming it. A javascript: link would
 * run script in the hub's page when clicked, and data: or other schemes are not web pages either.
 */
export function safeUrl(value: string | null | undefined, attribute: string): string | null {
  if (!value?.trim()) return null;
  let url: URL | null = null;
  try {
    url = new URL(value, document.baseURI);
  } catch {}
  // What is returned is what was checked: the resolved URL, not the text to be parsed again.
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return url.href;
  const why = url
    ? `only http:, https: and relative URLs are allowed, not ${url.protocol} ones`
    : `“${value}” is not a URL`;
  const message = `Maths Hubs: ignoring the ${attribute} attribute: ${why}.`;
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(message);
  }
  return null;
}

/**
 * The GraphQL endpoint for a widget: its `api` attribute (an origin, or a full URL ending in
 * /graphql), else the origin this script came from.
 */
export const endpointFor = (element: HTMLElement): string =>
  graphqlEndpoint(
    safeUrl(element.getAttribute('api'), 'api'),
    document.baseURI,
    new URL('/', SCRIPT_URL).href,
  );

const clients = new Map<string, ReturnType<typeof createBaseClient>>();

/** One client per endpoint. Widgets send only the SDK's documents, by hash, so they also work
 * against a server that accepts persisted operations only. No retries: a visitor reads a message
 * at once rather than waiting out a Retry-After. */
export function clientFor(element: HTMLElement) {
  const url = endpointFor(element);
  let client = clients.get(url);
  if (!client) {
    client = createBaseClient({ url, persistedOperations: true, retries: 0 });
    clients.set(url, client);
  }
  return client;
}

/** A sentence a visitor to a hub's website can act on, for anything the client throws. */
export function describeFailure(error: unknown, what: string): string {
  switch (failureKind(error)) {
    case 'rate-limited':
      return `Too many requests have reached the Maths Hubs service from here just now, so ${what} cannot be shown. Please try again in a minute.`;
    case 'unavailable':
      return `The Maths Hubs service cannot be reached just now, so ${what} cannot be shown. Please try again later.`;
    default:
      return `Something went wrong while loading ${what}. Please try again later.`;
  }
}

/** "Friday 27 November 2026", in the visitor's locale but British by default. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString(document.documentElement.lang || 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The theme every widget starts from. A host page restyles it with the custom properties below
 * (set on the element or any ancestor) and with ::part() for the named parts.
 */
export const BASE_STYLES = `
:host {
  display: block;
  font-family: var(--mh-font-family, system-ui, sans-serif);
  font-size: var(--mh-font-size, 1rem);
  line-height: 1.5;
  color: var(--mh-color, #1d1d1f);
  background: var(--mh-background, transparent);
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
a { color: var(--mh-link-color, #0b57a4); }
:focus-visible { outline: 3px solid var(--mh-focus-color, #ffbf47); outline-offset: 2px; }
.message {
  padding: 0.75em 1em;
  border: 1px solid var(--mh-border-color, #b1b4b6);
  border-left: 5px solid var(--mh-error-color, #b3261e);
  border-radius: var(--mh-radius, 4px);
}
.muted { color: var(--mh-muted-color, #505a5f); }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}
`;

/** Attaches the open shadow root with the base styles and a widget's own. */
export function attachShadowWithStyles(host: HTMLElement, styles: string): ShadowRoot {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = BASE_STYLES + styles;
  root.replaceChildren(style);
  return root;
}
