import pino from 'pino';

/**
 * Paths never written to logs: the user's text (submissions, clarifications, activity inputs),
 * extracted entities and claims (treated as personal data as a whole), API keys, and
 * authorization headers and cookies, at the top level and one level down (`*.`), plus the
 * places fastify and the Temporal SDK put them.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'authorization',
  '*.authorization',
  'text',
  '*.text',
  'texts',
  '*.texts',
  'comment',
  '*.comment',
  'entities',
  '*.entities',
  'claims',
  '*.claims',
  'apiKey',
  '*.apiKey',
  'key',
  '*.key',
  'OPENAI_API_KEY',
  'TEMPORAL_API_KEY',
  'API_KEYS',
  'PAYLOAD_ENCRYPTION_KEYS',
  'COMMAND_SIGNING_KEYS',
  'privateKey',
  '*.privateKey',
];

/** `LOG_FORMAT`: `auto` is readable lines in a development terminal and JSON everywhere else. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** Whether a process writes readable lines (pino-pretty) instead of JSON. */
export function usePrettyLogs(format: LogFormat, env: string, isTty: boolean = Boolean(process.stdout.isTTY)): boolean {
  return format === 'pretty' || (format === 'auto' && env === 'development' && isTty);
}

/** Options of a process logger; `destination` is for tests (default stdout). */
export interface LoggerOptions {
  level: string;
  name: string;
  destination?: pino.DestinationStream;
  /** Readable lines for a person at a terminal (development); JSON otherwise. */
  pretty?: boolean;
}

/** The process logger: pino JSON with redaction of personal data and secrets. */
export function createLogger(options: LoggerOptions) {
  const settings = { name: options.name, level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (options.destination) return pino(settings, options.destination);
  if (options.pretty) {
    return pino(settings, pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', messageKey: 'msg' } }));
  }
  return pino(settings);
}
/** Logger type used across the code base. */
export type Logger = ReturnType<typeof createLogger>;
