// Structured JSON logs (pino). One logger per process; requests log through child loggers.
import pino from 'pino';
import type { Config } from './config.ts';

export type Logger = pino.Logger;

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { service: 'maths-hubs-api' },
    // Never let a secret reach a log line.
    redact: { paths: ['req.headers.authorization', '*.apiKey', '*.secret'], censor: '[redacted]' },
  });
}
