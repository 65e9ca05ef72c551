// Which status changes are allowed. Plain data, unit-tested.
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
