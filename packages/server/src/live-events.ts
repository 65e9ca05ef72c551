// Live cohort places: committed changes to cohorts, announced to `cohortUpdated` subscribers on
// every instance (through shared state's event target: this process, or Redis pub/sub). A
// request's announcements are published once its response is ready, after the mutation's
// transaction committed and the response cache was invalidated (plugins/live.ts), so a subscriber
// who reads again sees what the event announced.
//
// Streams are bounded: each caller holds a few at once across every instance (leases in shared
// state), an instance holds a fixed number in all, each ends cleanly after a lifetime or an idle
// spell (telling the client to reopen it, which the SDK does at once), and each event delivered
// is charged to the subscriber's budget at the cost of what it selected.
import { randomUUID } from 'node:crypto';
import type { CohortChange, Context, LiveEvents } from '@maths-hubs/schema';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { createPubSub, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Limits } from './config.ts';
import { type RateLimiter, rateLimited } from './plugins/rate-limit.ts';
import { requestState } from './plugins/request-state.ts';
import type { SharedState } from './shared-state.ts';

type Channels = { 'cohort-changed': [CohortChange] };

export interface LiveHub {
  /** The view of one request: its caller's subscriptions, and announcements kept until sent. */
  forRequest(caller: string, announcements: CohortChange[]): LiveEvents;
  publish(changes: CohortChange[]): void;
  /** Streams open on this instance. */
  openStreams(): number;
  /**
   * Ends every stream with a SERVICE_UNAVAILABLE error that says to subscribe again (another
   * instance answers), so that a stopping instance is not held open by its subscribers.
   */
  close(): void;
}

export function createLiveHub(
  shared: SharedState,
  { maxStreamsPerCaller, maxStreams }: Pick<Limits, 'maxStreamsPerCaller' | 'maxStreams'>,
): LiveHub {
  const pubsub = createPubSub<Channels>({ eventTarget: shared.eventTarget() });
  const leases = shared.leases('streams');
  let total = 0;
  let endAll: (error: GraphQLError) => void = () => {};
  const ended = new Promise<never>((_resolve, reject) => {
    endAll = reject;
  });
  ended.catch(() => {}); // observed by each stream's next()

  /** The changes, counted as one open stream of `caller` until it ends or is closed, started or not. */
  function stream(caller: string, holder: string): AsyncIterableIterator<CohortChange> {
    const changes = pubsub.subscribe('cohort-changed');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total -= 1;
      void leases.release(caller, holder);
    };
    return {
      async next() {
        try {
          const result = await Promise.race([changes.next(), ended]);
          if (result.done) release();
          return result;
        } catch (error) {
          release();
          await changes.return(undefined);
          throw error;
        }
      },
      async return(value?: unknown) {
        release();
        return changes.return(value);
      },
      async throw(error?: unknown) {
        release();
        return changes.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  return {
    forRequest: (caller, announcements) => ({
      announce: (change) => {
        announcements.push(change);
      },
      cohortChanges: async () => {
        if (total >= maxStreams) {
          throw new GraphQLError(
            'This server is holding as many live streams as it can: subscribe again in a minute.',
            {
              extensions: {
                code: 'SERVICE_UNAVAILABLE',
                http: { status: 503, headers: { 'Retry-After': '60' } },
              },
            },
          );
        }
        total += 1; // held while the lease is asked for, so that the cap holds under a burst
        const holder = randomUUID();
        const taken = await leases.acquire(caller, holder, maxStreamsPerCaller).catch(() => true);
        if (!taken) {
          total -= 1;
          throw new GraphQLError(
            `This client already has ${maxStreamsPerCaller} live streams open, the most allowed: close one before opening another.`,
            { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } },
          );
        }
        return stream(caller, holder);
      },
    }),
    publish(changes) {
      for (const change of changes) pubsub.publish('cohort-changed', change);
    },
    openStreams: () => total,
    close() {
      endAll(
        new GraphQLError(
          'This server is restarting: subscribe again in a second (another instance will answer).',
          {
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
          },
        ),
      );
    },
  };
}

/**
 * Publishes what a request announced once its result is final: after the mutation's transaction
 * committed and (placed after the response cache) after cached reads were invalidated.
 */
export function useLiveEvents(hub: LiveHub): Plugin {
  return {
    onResultProcess({ request }) {
      const state = requestState(request);
      if (!state?.announcements?.length) return;
      hub.publish(state.announcements.splice(0));
    },
  };
}

/** What a stream's last message says when the server ends it: open it again, at once. */
export const STREAM_ENDED = (reason: 'lifetime' | 'idle'): ExecutionResult => ({
  extensions: { stream: { ended: reason, reopen: true } },
});

/**
 * A subscription's results, bounded: ended after `lifetimeMs` or `idleMs` without a result (with
 * a last message saying to reopen), and each result charged by `charge` (a refusal ends it with
 * the refusal). return() reaches the source at once, even while it waits for an event, so that
 * a client who leaves frees its stream straight away.
 */
export function boundedStream(
  source: AsyncIterable<ExecutionResult>,
  options: { lifetimeMs: number; idleMs: number; charge: () => Promise<GraphQLError | null> },
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const endsAt = Date.now() + options.lifetimeMs;
  let finished = false;
  let pending: Promise<IteratorResult<ExecutionResult>> | undefined;
  const finish = async (last?: ExecutionResult): Promise<IteratorResult<ExecutionResult>> => {
    finished = true;
    pending = undefined;
    // The source lets go of its subscription (and its stream's lease); waited for, but never for
    // long, in case it is itself waiting for an event that will not come.
    const released = iterator.return?.().catch(() => undefined);
    await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    return last ? { done: false, value: last } : { done: true, value: undefined };
  };
  return {
    async next() {
      if (finished) return { done: true, value: undefined };
      const wait = Math.max(0, Math.min(endsAt - Date.now(), options.idleMs));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'lifetime' | 'idle'>((resolve) => {
        timer = setTimeout(() => resolve(Date.now() >= endsAt ? 'lifetime' : 'idle'), wait);
      });
      pending ??= iterator.next();
      let outcome: IteratorResult<ExecutionResult> | 'lifetime' | 'idle';
      try {
        outcome = await Promise.race([pending, timeout]);
      } catch (error) {
        finished = true; // the source failed (the server is stopping): nothing more comes
        pending = undefined;
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (typeof outcome === 'string') return finish(STREAM_ENDED(outcome));
      pending = undefined;
      if (outcome.done) {
        finished = true;
        return outcome;
      }
      const refusal = await options.charge();
      if (refusal) return finish({ errors: [refusal] });
      return outcome;
    },
    async return() {
      return finish();
    },
    async throw(error?: unknown) {
      finished = true;
      return iterator.throw ? iterator.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Bounds every subscription (boundedStream): its lifetime and idle limit, and a charge per event
 * of what the subscription cost when it started, to the caller's budget.
 */
export function useStreamLimits(limits: Limits, limiter: RateLimiter): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const ctx = args.contextValue as Context & { request?: Request };
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const state = ctx.request ? requestState(ctx.request) : undefined;
          setResult(
            boundedStream(result as AsyncIterable<ExecutionResult>, {
              lifetimeMs: limits.streamLifetimeMs,
              idleMs: limits.streamIdleMs,
              charge: async () => {
                if (!state) return null;
                const cost = Math.max(state.cost?.requested ?? 1, 1);
                const budget = await limiter.charge(ctx.viewer.role, state.caller, cost);
                return budget && !budget.allowed ? rateLimited(budget, cost) : null;
              },
            }),
          );
        },
      };
    },
  };
}
