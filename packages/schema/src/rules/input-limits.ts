// Bounds on every input the API accepts, declared once: the server checks variables and literal
// arguments against them before an operation runs, and mutation validators reuse the same figures.
// They are generous for real use (a school name, a 10,000-character statement) and refuse what
// only an attacker sends (a 10 MB string, a list of a million IDs, JSON nested a thousand deep).

export const INPUT_LIMITS = {
  /** Characters in any string input, unless it is free text (below). */
  string: 1_000,
  /** Characters in free text: an application's statement, a decision's note. */
  longText: 10_000,
  /** Items in any list input (node IDs, attendance records, filter values). */
  list: 500,
  /** Nesting of objects and lists inside one variable. */
  depth: 8,
  /** Fields in one input object. */
  objectKeys: 50,
} as const;

/** Input fields that hold free text and may be up to INPUT_LIMITS.longText long. */
export const LONG_TEXT_FIELDS: ReadonlySet<string> = new Set(['statement', 'note', 'priorSpecialistWork']);

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL: no name, code or
 * statement needs them, NUL cannot be stored in PostgreSQL text, and the rest corrupt CSV exports
 * and logs.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface InputProblem {
  /** Where the value sits, e.g. ["input", "advocates", 0, "name"]. */
  path: (string | number)[];
  message: string;
}

const where = (path: (string | number)[]) => (path.length > 0 ? path.join('.') : 'the value');

/** The problem with one string, if any; `field` is the input field or argument it fills. */
export function checkString(value: string, path: (string | number)[]): InputProblem | null {
  const field = [...path].reverse().find((p) => typeof p === 'string');
  const max = field && LONG_TEXT_FIELDS.has(field) ? INPUT_LIMITS.longText : INPUT_LIMITS.string;
  if (value.length > max) {
    return {
      path,
      message: `${where(path)} is ${value.length} characters long; the most allowed is ${max}.`,
    };
  }
  const control = CONTROL_CHARACTERS.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      path,
      message: `${where(path)} contains the control character U+${code}; remove it.`,
    };
  }
  return null;
}

/** Walks a JSON value (a request's variables) and returns the first input that is out of bounds. */
export function checkInputValue(value: unknown, path: (string | number)[] = []): InputProblem | null {
  if (typeof value === 'string') return checkString(value, path);
  if (value === null || typeof value !== 'object') return null;
  const depth = path.length;
  if (depth >= INPUT_LIMITS.depth + 1) {
    return { path, message: `${where(path)} is nested deeper than ${INPUT_LIMITS.depth} levels.` };
  }
  if (Array.isArray(value)) {
    if (value.length > INPUT_LIMITS.list) {
      return {
        path,
        message: `${where(path)} has ${value.length} items; the most allowed is ${INPUT_LIMITS.list}.`,
      };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = checkInputValue(value[i], [...path, i]);
      if (problem) return problem;
    }
    return null;
  }
  const entries = Object.entries(value);
  if (entries.length > INPUT_LIMITS.objectKeys) {
    return {
      path,
      message: `${where(path)} has ${entries.length} fields; the most allowed is ${INPUT_LIMITS.objectKeys}.`,
    };
  }
  for (const [key, item] of entries) {
    const keyProblem = checkString(key, [...path, key]);
    if (keyProblem) return keyProblem;
    const problem = checkInputValue(item, [...path, key]);
    if (problem) return problem;
  }
  return null;
}
