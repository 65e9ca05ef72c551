// The cost model: every list is costed, the SDK's operations fit the limits of the callers they
// are meant for, and what the issue measured as bombs costs far more than any limit.
import { isPlainListField, LIST_SIZES, listKey, operationCost, schema } from '@maths-hubs/schema';
import { isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationDocuments } from '../../../sdk/scripts/documents.ts';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import { applicationForm } from '../helpers/forms.ts';

const cost = (query: string, variableValues: Record<string, unknown> = {}) =>
  operationCost({ schema, document: parse(query), variableValues, contextValue: {} });

/** Realistic variables for each shipped operation, at the largest page a hub site would ask for. */
const VARIABLES: Record<string, Record<string, unknown>> = {
  Cohort: { code: 'WM1-SEC-TFM-DEV-2024-25' },
  CohortStats: { groupBy: ['HUB', 'ACADEMIC_YEAR'] },
  DeepTour: { hubs: 5, cohorts: 5, enrolments: 5 },
  HubPage: { code: 'WM1' },
  Hubs: { first: 100 },
  ProgrammePage: { slug: 'secondary-tfm-development' },
  Programmes: { first: 100 },
  Progression: { fromProgramme: 'a', fromYear: '2023/24', toProgramme: 'b' },
  RecruitingCohorts: { first: 100, hubCode: 'WM1' },
  Regions: {},
  SchoolSearch: { search: 'academy', first: 100 },
  SubmitApplication: {
    input: applicationForm('X', '100000'),
  },
  Tour: {},
  CohortUpdated: { hubCode: 'WM1' },
  Viewer: {},
};
/** Operations only a key can use (people, statistics across hubs): checked against a key's limit. */
const KEY_ONLY = new Set(['DeepTour', 'CohortStats', 'Progression']);

describe('cost model', () => {
  it('costs every plain list field of the schema explicitly', () => {
    const uncosted: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (isPlainListField(field) && !(listKey(field) in LIST_SIZES))
          uncosted.push(`${type.name}.${field.name}`);
      }
    }
    expect(uncosted).toEqual([]);
  });

  it('multiplies a connection’s selection by first, default 20, capped at 100', () => {
    const page = (first: string) => cost(`{ hubs${first} { nodes { region { code } } } }`)!;
    expect(page('')).toBe(1 + 20 + 20 * 1);
    expect(page('(first: 5)')).toBe(1 + 5 + 5 * 1);
    expect(page('(first: 100)')).toBe(1 + 100 + 100 * 1);
    expect(page('(first: 100000)')).toBe(page('(first: 100)'));
    expect(cost('query($n: Int) { hubs(first: $n) { nodes { code } } }', { n: 50 })).toBe(51);
    // Nested connections multiply: a hundred hubs of a hundred cohorts is ten thousand cohorts.
    expect(cost('{ hubs(first: 100) { nodes { cohorts(first: 100) { nodes { code } } } } }')).toBe(
      1 + 100 + 100 * (1 + 100),
    );
  });

  it('charges searches, counts and statistics what they make the database do', () => {
    const plain = cost('{ schools(first: 10) { nodes { urn } } }')!;
    expect(cost('{ schools(first: 10, filter: { search: "park" }) { nodes { urn } } }')).toBeGreaterThan(
      plain,
    );
    expect(cost('{ schools(first: 10) { totalCount nodes { urn } } }')).toBeGreaterThan(plain);
    const one = cost('{ cohortStats(groupBy: [HUB]) { total { enrolments } } }')!;
    const two = cost('{ cohortStats(groupBy: [HUB, ROLE]) { total { enrolments } } }')!;
    expect(two).toBeGreaterThan(one);
    expect(one).toBeGreaterThan(50);
  });

  it('fits every shipped operation within the limit of the callers it is for', () => {
    // The SDK's documents, as it sends them (each operation with the fragments it spreads).
    const documents = Object.entries(operationDocuments);
    expect(documents.length).toBeGreaterThan(10);
    for (const [name, document] of documents) {
      expect(VARIABLES, `realistic variables for ${name}`).toHaveProperty(name);
      const figure = cost(document, VARIABLES[name]);
      expect(figure, name).not.toBeNull();
      const limit = KEY_ONLY.has(name) ? DEFAULT_LIMITS.cost.key : DEFAULT_LIMITS.cost.anonymous;
      expect(figure!, `${name} costs ${figure}`).toBeLessThanOrEqual(limit);
    }
  });

  it('prices the issue’s bombs far beyond any limit', () => {
    const nested = `{ hubs(first:100) { nodes { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { code } } } } } } } } } } }`;
    expect(cost(nested)).toBeGreaterThan(1_000_000);
    let twelve = 'code';
    for (let i = 0; i < 12; i++) twelve = `region { hubs { ${twelve} } }`;
    expect(cost(`{ hub(code: "WM1") { ${twelve} } }`)).toBeGreaterThan(DEFAULT_LIMITS.cost.key);
  });
});
