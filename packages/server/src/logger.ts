// Structured JSON logs (pino). One logger per process; requests log through child loggers.
import pino from 'pino';
import type { Config } from './config.ts';
import { logTraceFields } from './tracing.ts';

export type Logger = pino.Logger;

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    // The pid tells a cluster's workers apart (WEB_CONCURRENCY).
    base: { service: 'maths-hubs-api', pid: process.pid },
    // The trace and span of the request being served, when tracing is on.
    mixin: logTraceFields,
    // Never let a secret reach a log line.
    redact: { paths: ['req.headers.authorization', '*.apiKey', '*.secret'], censor: '[redacted]' },
  });
}
