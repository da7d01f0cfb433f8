import pino from 'pino';

/** Paths never written to logs: user text, entities, credentials. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'text',
  '*.text',
  'entities',
  '*.entities',
  'claims',
  '*.claims',
  'apiKey',
  '*.apiKey',
];

/** The process logger: pino JSON with redaction of personal data and secrets. */
export function createLogger(options: { level: string; name: string }) {
  return pino({ name: options.name, level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
/** Logger type used across the code base. */
export type Logger = ReturnType<typeof createLogger>;
