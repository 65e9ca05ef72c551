// <maths-hub-cohorts hub="WM1">: the hub's recruiting cohorts (name, programme, deadline, places
// remaining), kept live through the cohortUpdated subscription.
//
// Attributes: hub (required), api (the API's URL; default: this script's origin), apply-href
// (a link for each cohort, with {code} replaced, e.g. "/apply?cohort={code}"). URLs must be
// http:, https: or relative: any other (javascript: above all) is ignored, with a console warning.
// Parts: list, cohort, name, details, places, apply-link, empty, message.
import {
  CohortUpdatedDocument,
  RecruitingCohortsDocument,
  type RecruitingCohortsQuery,
  subscribe,
} from '@maths-hubs/sdk';
import { h } from '../dom.ts';
import { attachShadowWithStyles, clientFor, describeFailure, formatDate, safeUrl } from './shared.ts';

type Cohort = RecruitingCohortsQuery['cohorts']['nodes'][number];

const STYLES = `
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--mh-gap, 0.75em); }
li {
  padding: var(--mh-card-padding, 0.75em 1em);
  border: 1px solid var(--mh-border-color, #b1b4b6);
  border-radius: var(--mh-radius, 4px);
  background: var(--mh-card-background, transparent);
}
h3 { margin: 0 0 0.25em; font-size: var(--mh-heading-size, 1.15em); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.places-none { color: var(--mh-error-color, #b3261e); font-weight: 600; }
.closed { color: var(--mh-muted-color, #505a5f); }
`;

/** How many cohorts one hub lists: a hub runs a few dozen a year, so one page is enough. */
const PAGE_SIZE = 50;
/** Back-off for re-opening the live stream after it drops: 2 s doubling to 1 min. */
const RECONNECT_MS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

export class MathsHubCohorts extends HTMLElement {
  static observedAttributes = ['hub', 'api', 'apply-href'];

  #root: ShadowRoot = attachShadowWithStyles(this, STYLES);
  #running: AbortController | undefined;
  #items = new Map<string, HTMLLIElement>();
  /** Announces changes to places; polite, so it never interrupts the visitor. */
  #announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });

  connectedCallback() {
    void this.#start();
  }

  disconnectedCallback() {
    this.#running?.abort();
    this.#running = undefined;
  }

  attributeChangedCallback(_name: string, before: string | null, after: string | null) {
    if (before !== after && this.isConnected && this.#running) void this.#start();
  }

  /** Lists the cohorts, then follows their changes until disconnected or restarted. */
  async #start() {
    this.#running?.abort();
    const running = new AbortController();
    this.#running = running;
    const hub = this.getAttribute('hub')?.trim();
    if (!hub) {
      this.#show(
        h(
          'p',
          { class: 'message', part: 'message', role: 'alert' },
          'This list needs a hub: add hub="…" with the hub’s code, e.g. hub="WM1".',
        ),
      );
      return;
    }
    this.#show(h('p', { class: 'muted', role: 'status' }, 'Loading cohorts…'));
    this.setAttribute('aria-busy', 'true');
    try {
      const { cohorts } = await clientFor(this).request(
        RecruitingCohortsDocument,
        { hubCode: hub, first: PAGE_SIZE },
        { signal: running.signal },
      );
      if (running.signal.aborted) return;
      this.#render(hub, cohorts.nodes);
    } catch (error) {
      if (running.signal.aborted) return;
      this.#show(
        h('p', { class: 'message', part: 'message', role: 'alert' }, describeFailure(error, 'the cohorts')),
      );
      return;
    } finally {
      if (this.#running === running) this.removeAttribute('aria-busy');
    }
    await this.#follow(hub, running.signal);
  }

  async #follow(hubCode: string, signal: AbortSignal) {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        for await (const { cohortUpdated } of subscribe(
          clientFor(this),
          CohortUpdatedDocument,
          { hubCode },
          { signal },
        )) {
          attempt = 0;
          this.#update(cohortUpdated);
        }
      } catch {
        // The list stays as it is; places catch up when the stream is back.
      }
      if (signal.aborted) return;
      await new Promise((resolve) =>
        setTimeout(resolve, RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]),
      );
    }
  }

  #show(...content: Node[]) {
    const style = this.#root.querySelector('style');
    this.#root.replaceChildren(...(style ? [style] : []), ...content, this.#announcer);
  }

  #render(hub: string, cohorts: Cohort[]) {
    this.#items.clear();
    if (cohorts.length === 0) {
      // The hub's code is named, so that a mistyped hub="…" shows on the page.
      this.#show(
        h('p', { part: 'empty' }, `No cohorts at this hub (${hub}) are taking applications just now.`),
      );
      return;
    }
    const list = h('ul', {
      part: 'list',
      'aria-label': `Cohorts recruiting at ${cohorts[0]?.hub?.name ?? 'this hub'}`,
    });
    for (const cohort of cohorts) {
      const item = this.#card(cohort);
      this.#items.set(cohort.code, item);
      list.append(item);
    }
    this.#show(list);
  }

  #card(cohort: Cohort): HTMLLIElement {
    // Checked with the code in place: the whole URL is what the link would follow.
    const applyHref = safeUrl(
      this.getAttribute('apply-href')?.replaceAll('{code}', encodeURIComponent(cohort.code)),
      'apply-href',
    );
    return h(
      'li',
      { part: 'cohort', 'data-code': cohort.code },
      h('h3', { part: 'name' }, cohort.name),
      h(
        'dl',
        { part: 'details' },
        h('dt', {}, 'Programme'),
        h('dd', {}, cohort.programme.name),
        h('dt', {}, 'Apply by'),
        h('dd', {}, cohort.applicationDeadline ? formatDate(cohort.applicationDeadline) : 'No deadline set'),
        h('dt', {}, 'Starts'),
        h('dd', {}, cohort.startsOn ? formatDate(cohort.startsOn) : 'To be confirmed'),
        h('dt', {}, 'Places left'),
        placesCell(cohort.placesRemaining),
      ),
      applyHref &&
        h(
          'a',
          { part: 'apply-link', href: applyHref },
          'Apply',
          h('span', { class: 'visually-hidden' }, ` for ${cohort.name}`),
        ),
    );
  }

  /** A change from the stream: new places, or a cohort that stopped (or started) recruiting. */
  #update(cohort: { code: string; name: string; placesRemaining: number; isRecruiting: boolean }) {
    const item = this.#items.get(cohort.code);
    if (!item) {
      // A cohort that opened since the list was drawn: list again, so it appears in its place.
      if (cohort.isRecruiting) void this.#start();
      return;
    }
    const places = item.querySelector('[part="places"]');
    if (!places) return;
    if (cohort.isRecruiting) {
      places.replaceWith(placesCell(cohort.placesRemaining));
      this.#announcer.textContent = `${cohort.name}: ${placesSentence(cohort.placesRemaining)}.`;
    } else {
      places.replaceWith(h('dd', { part: 'places', class: 'closed' }, 'Applications have closed'));
      item.querySelector('[part="apply-link"]')?.remove();
      this.#announcer.textContent = `${cohort.name}: applications have closed.`;
    }
  }
}

/** The "Places left" cell: a number, or "None" when the cohort is full. */
function placesCell(remaining: number): HTMLElement {
  return h(
    'dd',
    { part: 'places', class: remaining <= 0 && 'places-none', 'data-places': remaining },
    remaining <= 0 ? 'None: the hub may keep a waiting list' : String(remaining),
  );
}

const placesSentence = (remaining: number) =>
  remaining <= 0 ? 'no places left' : `${remaining} ${remaining === 1 ? 'place' : 'places'} left`;
