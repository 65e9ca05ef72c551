// What the plugins learn about one HTTP request and hand on to each other: who is calling, what
// the operation costs, what was charged. Keyed by the Request, so it is gone with it.
import type { CohortChange, Viewer } from '@maths-hubs/schema';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { ClientIdentity } from '../client-address.ts';
import type { BudgetResult } from '../shared-state.ts';

export interface RequestState {
  requestId: string;
  /** The caller, resolved from the API key before the document is even parsed. */
  viewer: Viewer | undefined;
  /** The rate-limit key: "key:12", "admin-env" or "ip:203.0.113.7" (an IPv6 client: its /64). */
  caller: string;
  /** The client's address (client-address.ts), for budgets without a key, stream caps and logs. */
  client: ClientIdentity;
  /** This operation's cost, once computed; the most one operation may cost this caller. */
  cost: { requested: number; limit: number } | undefined;
  /** The caller's budget after this request was charged. */
  budget: BudgetResult | undefined;
  /** Refused before parsing (a bad key, a spent budget): nothing may answer it, a cache included. */
  refused?: boolean;
  /** A mutation ran: the primary's position is noted for replica reads before the response leaves. */
  wrote?: boolean;
  /** Points this request was charged (given back if it ends as a 304). */
  charged?: number;
  /** Changes to cohorts this request committed, published to subscribers as its response leaves. */
  announcements?: CohortChange[];
}

const states = new WeakMap<Request, RequestState>();

export function requestState(request: Request): RequestState | undefined {
  return states.get(request);
}

export function setRequestState(request: Request, state: RequestState): void {
  states.set(request, state);
}

/** What an onExecute or onSubscribe hook receives and may answer with: checks run on both. */
export interface OperationStart {
  args: ExecutionArgs;
  setResultAndStopExecution: (result: ExecutionResult) => void;
}
