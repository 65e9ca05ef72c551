// Which status changes are allowed. Plain data, unit-tested.
import { type InputPath, invalid, type UserErrorShape } from './user-errors.ts';

export const COHORT_TRANSITIONS: Record<string, string[]> = {
  PLANNED: ['RECRUITING', 'CANCELLED'],
  RECRUITING: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const ENROLMENT_TRANSITIONS: Record<string, string[]> = {
  APPLIED: ['ACCEPTED', 'DECLINED', 'WITHDRAWN'],
  ACCEPTED: ['ACTIVE', 'WITHDRAWN'],
  ACTIVE: ['COMPLETED', 'WITHDRAWN'],
  COMPLETED: [],
  WITHDRAWN: [],
  DECLINED: [],
};

export const canMove = (table: Record<string, string[]>, from: string, to: string) =>
  table[from]?.includes(to) ?? false;

/** Refuses a move the table does not allow, naming the moves it does. Staying put is no move. */
export function checkTransition(
  what: string,
  table: Record<string, string[]>,
  from: string,
  to: string,
  path: InputPath = ['status'],
): UserErrorShape[] {
  if (from === to || canMove(table, from, to)) return [];
  const next = (table[from] ?? []).map((s) => s.toLowerCase());
  const options = next.length > 0 ? `: it can become ${next.join(' or ')}` : '';
  return [invalid(path, `A ${from.toLowerCase()} ${what} cannot become ${to.toLowerCase()}${options}.`)];
}
