// Rate limits by cost: each caller (an API key, or a client address without one) has a budget of
// points per window, larger for keys. An operation is charged its cost just before it runs (and
// before any response cache may answer); a refused or failed request is charged one point. Over
// budget: HTTP 429 with Retry-After and extensions.code RATE_LIMITED.
//
// Every response carries the caller's figures: `extensions.cost` in the body and the
// RateLimit-Limit / -Remaining / -Reset headers. They are added on the way out (onResultProcess),
// after anything that could cache a body, so they are never stored with one.
import type { Attempts, Context, Role } from '@maths-hubs/schema';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Limits } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Budget, BudgetResult, SharedState } from '../shared-state.ts';
import { type OperationStart, requestState } from './request-state.ts';

/** What a request that never reached execution (refused, malformed) is charged. */
export const REFUSAL_COST = 1;

export interface RateLimiter {
  /** Charges a caller; null when rate limits are off. */
  charge(role: Role, caller: string, points: number): Promise<BudgetResult | null>;
  /** What is left, without charging; null when rate limits are off. */
  peek(role: Role, caller: string): Promise<BudgetResult | null>;
  /** Gives points back (a 304 costs nothing). */
  refund(role: Role, caller: string, points: number): Promise<void>;
}

export function createRateLimiter(limits: Limits, shared: SharedState, logger: Logger): RateLimiter {
  const rate = limits.rate;
  if (!rate) return { charge: async () => null, peek: async () => null, refund: async () => {} };
  const budgets = new Map<Role, Budget>();
  for (const role of Object.keys(rate.budgets) as Role[]) {
    budgets.set(
      role,
      shared.budget({ name: `rate:${role}`, points: rate.budgets[role], windowSeconds: rate.windowSeconds }),
    );
  }
  return {
    async charge(role, caller, points) {
      try {
        return await budgets.get(role)!.charge(caller, points);
      } catch (error) {
        // Even the per-process fallback failed: let the request through rather than fail it.
        logger.error({ err: error, caller }, 'rate limiter failed; request allowed');
        return null;
      }
    },
    async peek(role, caller) {
      try {
        return await budgets.get(role)!.peek(caller);
      } catch {
        return null;
      }
    },
    async refund(role, caller, points) {
      await budgets
        .get(role)!
        .refund(caller, points)
        .catch(() => {});
    },
  };
}

export function rateLimited(budget: BudgetResult, requested: number): GraphQLError {
  return new GraphQLError(
    `Rate limit reached: this operation costs ${requested} points and ${budget.available} of your ${budget.limit} are left. ` +
      `The budget is full again in ${budget.resetSeconds} s. Send an API key for a larger budget.`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        http: { status: 429, headers: { 'Retry-After': String(budget.resetSeconds) } },
      },
    },
  );
}

export function useRateLimit(limiter: RateLimiter, limits: Limits): Plugin<Context> {
  const charge = async ({ args, setResultAndStopExecution }: OperationStart) => {
    const ctx = args.contextValue as Context & { request?: Request };
    const state = ctx.request ? requestState(ctx.request) : undefined;
    if (!state || state.budget) return;
    const requested = Math.max(state.cost?.requested ?? 0, REFUSAL_COST);
    const budget = await limiter.charge(ctx.viewer.role, state.caller, requested);
    if (!budget) return;
    state.budget = budget;
    if (!budget.allowed) setResultAndStopExecution({ errors: [rateLimited(budget, requested)] });
  };
  return {
    // A spent budget is refused before anything can answer, the response cache included.
    async onParams({ request, setResult }) {
      const state = requestState(request);
      if (!state || !limits.rate) return;
      const budget = await limiter.peek(state.viewer?.role ?? 'ANONYMOUS', state.caller);
      if (budget && budget.remaining <= 0) {
        state.budget = budget;
        state.refused = true;
        setResult({ errors: [rateLimited({ ...budget, available: 0 }, REFUSAL_COST)] });
      }
    },
    // A subscription is charged once, when it starts.
    onExecute: charge,
    onSubscribe: charge,
    async onResultProcess({ request, result, setResult }) {
      const state = requestState(request);
      if (!state || isAsyncIterable(result) || Array.isArray(result)) return;
      // Never executed (refused, malformed, or answered from the cache): a fixed small charge.
      const fixed = !state.cost;
      state.charged = limits.rate
        ? fixed
          ? REFUSAL_COST
          : Math.max(state.cost!.requested, REFUSAL_COST)
        : 0;
      if (!state.budget && limits.rate) {
        const role = state.viewer?.role ?? 'ANONYMOUS';
        state.budget = (await limiter.charge(role, state.caller, REFUSAL_COST)) ?? undefined;
      }
      const role = state.viewer?.role ?? 'ANONYMOUS';
      const cost = {
        requested: fixed ? REFUSAL_COST : state.cost!.requested,
        limit: state.cost?.limit ?? (role === 'ANONYMOUS' ? limits.cost.anonymous : limits.cost.key),
        ...(state.budget
          ? {
              remaining: state.budget.remaining,
              resetSeconds: state.budget.resetSeconds,
              budget: state.budget.limit,
            }
          : { remaining: null, resetSeconds: null, budget: null }),
      };
      setResult({ ...result, extensions: { ...result.extensions, cost } });
    },
    onResponse({ request, response }) {
      const budget = requestState(request)?.budget;
      if (!budget) return;
      response.headers.set('RateLimit-Limit', String(budget.limit));
      response.headers.set('RateLimit-Remaining', String(budget.remaining));
      response.headers.set('RateLimit-Reset', String(budget.resetSeconds));
    },
  };
}

/**
 * Failed attempts at guessable actions (submitApplication without a key), counted per client and
 * per target in shared state. Past either limit, the action answers TOO_MANY_ATTEMPTS until the
 * window has passed. A failure of the store lets the attempt through rather than fail it.
 */
export function createAttempts(
  limits: Limits['failedAttempts'],
  shared: SharedState,
  logger: Logger,
): (client: string) => Attempts {
  const window = { windowSeconds: limits.windowSeconds };
  const perClient = shared.budget({ name: 'attempts:client', points: limits.perClient, ...window });
  const perTarget = shared.budget({ name: 'attempts:target', points: limits.perTarget, ...window });
  return (client) => ({
    async waitBefore(target) {
      try {
        const [mine, everyone] = await Promise.all([
          perClient.peek(`${client}|${target}`),
          perTarget.peek(target),
        ]);
        return Math.max(
          mine.remaining <= 0 ? mine.resetSeconds : 0,
          everyone.remaining <= 0 ? everyone.resetSeconds : 0,
        );
      } catch (error) {
        logger.warn({ err: error }, 'attempt counter failed; attempt allowed');
        return 0;
      }
    },
    async failed(target) {
      await Promise.all([perClient.charge(`${client}|${target}`, 1), perTarget.charge(target, 1)]).catch(
        (error: unknown) => logger.warn({ err: error }, 'attempt counter failed; attempt not counted'),
      );
    },
  });
}
