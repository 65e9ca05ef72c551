// A request deadline: an operation still running after REQUEST_TIMEOUT_MS answers a TIMEOUT error
// instead of holding the client. On PostgreSQL each statement is also bounded by
// statement_timeout (db.ts), so the work behind it stops too. The embedded PGlite runs inside this
// process and cannot be interrupted: there the cost limits are the guard.
import type { Context } from '@maths-hubs/schema';
import type { Plugin } from 'graphql-yoga';
import { timedOut } from './errors.ts';

export function useDeadline(timeoutMs: number): Plugin<Context> {
  if (timeoutMs <= 0) return {};
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<{ errors: ReturnType<typeof timedOut>[] }>((resolve) => {
          timer = setTimeout(() => {
            const ctx = args.contextValue as Context;
            resolve({
              errors: [
                timedOut(ctx.requestId, `This request ran for more than ${timeoutMs} ms and was stopped.`),
              ],
            });
          }, timeoutMs);
        });
        try {
          return await Promise.race([executeFn(args), deadline]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
