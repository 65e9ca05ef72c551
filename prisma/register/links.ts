// The register's companion links file (links_edubasealldataYYYYMMDD.csv): which URN replaced
// which. Only changes of identity are kept (conversions, mergers, amalgamations, splits), each as
// predecessor → successor; a link listed in both directions becomes one pair. Sixth-form centre
// links, capacity changes and the like are counted as ignored.
import { columnsOf, csvRecords, RegisterFileError, registerDate } from './gias.ts';

export interface LinkRow {
  predecessorUrn: string;
  successorUrn: string;
  /** "successor" (e.g. an academy conversion), "merged", "amalgamated" or "split". */
  linkType: string;
  linkedOn: string | null;
}

export type LinksRow =
  | { kind: 'link'; link: LinkRow }
  | { kind: 'ignored'; line: number }
  | { kind: 'invalid'; line: number; urn: string | null; reason: string };

const COLUMNS = ['URN', 'LinkURN', 'LinkType', 'LinkEstablishedDate'] as const;

/**
 * What each LinkType says LinkURN is to URN: its successor (URN is the older school) or its
 * predecessor (LinkURN is the older), and the kind of change.
 */
const LINK_TYPES: Record<string, { linkIs: 'successor' | 'predecessor'; linkType: string }> = {
  successor: { linkIs: 'successor', linkType: 'successor' },
  predecessor: { linkIs: 'predecessor', linkType: 'successor' },
  'successor - merged': { linkIs: 'successor', linkType: 'merged' },
  'predecessor - merged': { linkIs: 'predecessor', linkType: 'merged' },
  'successor - amalgamated': { linkIs: 'successor', linkType: 'amalgamated' },
  'result of amalgamation': { linkIs: 'successor', linkType: 'amalgamated' },
  'predecessor - amalgamated': { linkIs: 'predecessor', linkType: 'amalgamated' },
  'successor - split school': { linkIs: 'successor', linkType: 'split' },
  'predecessor - split school': { linkIs: 'predecessor', linkType: 'split' },
};

export async function* readLinks(file: string): AsyncGenerator<LinksRow> {
  let columns: Record<(typeof COLUMNS)[number], number> | undefined;
  for await (const { record, line } of csvRecords(file)) {
    if (!columns) {
      columns = columnsOf(file, record, COLUMNS, 'a GIAS links file');
      continue;
    }
    const field = (name: (typeof COLUMNS)[number]) => (record[columns![name]] ?? '').trim();
    const urn = field('URN');
    const linkUrn = field('LinkURN');
    if (!/^\d{6}$/.test(urn)) {
      yield { kind: 'invalid', line, urn: null, reason: `URN "${urn}" is not six digits` };
      continue;
    }
    const known = LINK_TYPES[field('LinkType').toLowerCase()];
    if (!known) {
      yield { kind: 'ignored', line };
      continue;
    }
    if (!/^\d{6}$/.test(linkUrn) || linkUrn === urn) {
      yield { kind: 'invalid', line, urn, reason: `LinkURN "${linkUrn}" is not another six-digit URN` };
      continue;
    }
    const linkedOn = registerDate(field('LinkEstablishedDate'));
    if (linkedOn === undefined) {
      yield {
        kind: 'invalid',
        line,
        urn,
        reason: `LinkEstablishedDate "${field('LinkEstablishedDate')}" is not a dd-mm-yyyy date`,
      };
      continue;
    }
    yield {
      kind: 'link',
      link: {
        predecessorUrn: known.linkIs === 'successor' ? urn : linkUrn,
        successorUrn: known.linkIs === 'successor' ? linkUrn : urn,
        linkType: known.linkType,
        linkedOn,
      },
    };
  }
  if (!columns) throw new RegisterFileError(`${file} is empty: a GIAS links file starts with its header`);
}
