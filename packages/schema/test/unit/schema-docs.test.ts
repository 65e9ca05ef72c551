// GraphiQL is the documentation: every type, field, argument and enum value is described, and
// the names API.md fixes are there.

import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/index.ts';

describe('the schema as documentation', () => {
  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has the root fields and connection types API.md fixes', () => {
    const query = schema.getQueryType()!.getFields();
    for (const name of [
      'node',
      'nodes',
      'viewer',
      'regions',
      'region',
      'hubs',
      'hub',
      'schools',
      'school',
      'programmes',
      'programme',
      'cohorts',
      'cohort',
      'participants',
    ]) {
      expect(query[name], name).toBeDefined();
    }
    expect(String(query.hubs!.type)).toBe('HubConnection!');
    expect(String(query.schools!.type)).toBe('SchoolConnection!');
    expect(String(query.programmes!.type)).toBe('ProgrammeConnection!');
    expect(String(query.cohorts!.type)).toBe('CohortConnection!');
    expect(String(query.participants!.type)).toBe('ParticipantConnection!');
    expect(query.hubs!.args.map((a) => a.name)).toEqual(
      ['after', 'before', 'filter', 'first', 'last', 'orderBy'].filter((n) =>
        query.hubs!.args.some((a) => a.name === n),
      ),
    );
  });
});
