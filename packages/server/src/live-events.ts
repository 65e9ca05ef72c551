// Live cohort places: committed changes to cohorts, announced to `cohortUpdated` subscribers on
// every instance (through shared state's event target: this process, or Redis pub/sub). A
// request's announcements are published once its response is ready, after the mutation's
// transaction committed and the response cache was invalidated (plugins/live.ts), so a subscriber
// who reads again sees what the event announced. Each caller may hold a few streams at once.
import type { CohortChange, LiveEvents } from '@maths-hubs/schema';
import { GraphQLError } from 'graphql';
import { createPubSub, type Plugin } from 'graphql-yoga';
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

export function createLiveHub(shared: SharedState, maxStreamsPerCaller: number): LiveHub {
  const pubsub = createPubSub<Channels>({ eventTarget: shared.eventTarget() });
  const open = new Map<string, number>();
  let total = 0;
  let endAll: (error: GraphQLError) => void = () => {};
  const ended = new Promise<never>((_resolve, reject) => {
    endAll = reject;
  });
  ended.catch(() => {}); // observed by each stream's next()

  /** The changes, counted as one open stream of `caller` until it ends or is closed, started or not. */
  function stream(caller: string): AsyncIterableIterator<CohortChange> {
    const changes = pubsub.subscribe('cohort-changed');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total -= 1;
      const left = (open.get(caller) ?? 1) - 1;
      if (left > 0) open.set(caller, left);
      else open.delete(caller);
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
      cohortChanges: () => {
        const count = open.get(caller) ?? 0;
        if (count >= maxStreamsPerCaller) {
          throw new GraphQLError(
            `This client already has ${count} live streams open, the most allowed: close one before opening another.`,
            { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } },
          );
        }
        open.set(caller, count + 1);
        total += 1;
        return stream(caller);
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
