// Bounds on every input, declared once (packages/schema/src/rules/input-limits.ts).

import { describe, expect, it } from 'vitest';
import { checkInputValue, INPUT_LIMITS } from '../../src/index.ts';

describe('input limits', () => {
  it('accepts ordinary input, including tabs, new lines and any Unicode', () => {
    expect(
      checkInputValue({
        input: { name: 'Zoë O’Brien 👩‍🏫', statement: 'Line one\n\tLine two\r\n', ids: ['a', 'b'] },
      }),
    ).toBeNull();
  });

  it('bounds string lengths, with free text allowed to be longer', () => {
    const long = 'x'.repeat(INPUT_LIMITS.string + 1);
    expect(checkInputValue({ input: { name: long } })).toEqual({
      path: ['input', 'name'],
      message: `input.name is ${long.length} characters long; the most allowed is ${INPUT_LIMITS.string}.`,
    });
    expect(checkInputValue({ input: { statement: long } })).toBeNull();
    expect(checkInputValue({ input: { statement: 'x'.repeat(INPUT_LIMITS.longText + 1) } })?.path).toEqual([
      'input',
      'statement',
    ]);
  });

  it('refuses NUL and other control characters, naming the character', () => {
    expect(checkInputValue({ search: 'a\u0000b' })?.message).toBe(
      'search contains the control character U+0000; remove it.',
    );
    expect(checkInputValue({ input: { advocates: [{ name: 'bell\u0007' }] } })?.path).toEqual([
      'input',
      'advocates',
      0,
      'name',
    ]);
    expect(checkInputValue({ x: 'del\u007f' })).not.toBeNull();
  });

  it('bounds lists, objects and nesting', () => {
    expect(checkInputValue({ ids: Array(INPUT_LIMITS.list + 1).fill('a') })?.message).toMatch(
      /the most allowed is/,
    );
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    expect(checkInputValue({ filter: deep })?.message).toMatch(/nested deeper than 8 levels/);
    const wide = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 1]));
    expect(checkInputValue({ filter: wide })?.message).toMatch(/has 51 fields/);
  });
});
