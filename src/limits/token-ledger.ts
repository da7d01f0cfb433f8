import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * LLM tokens charged per principal per UTC day, shared by the API (which refuses a submission
 * once the day's budget is spent) and every worker (which checks it before each model call and
 * charges what each call cost). See docs/ARCHITECTURE.md, *Per-principal limits*.
 */
export interface TokenLedger {
  /** Tokens charged to `principal` on `day` (`YYYY-MM-DD`, UTC). */
  used(principal: string, day: string): number;
  /** Adds `tokens` atomically and returns the new total. */
  charge(principal: string, day: string, tokens: number): number;
  close(): void;
}

/**
 * A ledger in a SQLite file (WAL, so API and worker processes on one host share it safely;
 * each charge is one atomic upsert). Several hosts need a shared store behind the same interface.
 */
export function openTokenLedger(file: string): TokenLedger {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS llm_tokens (principal TEXT NOT NULL, day TEXT NOT NULL, tokens INTEGER NOT NULL, PRIMARY KEY (principal, day))');
  const read = db.prepare<[string, string], { tokens: number }>('SELECT tokens FROM llm_tokens WHERE principal = ? AND day = ?');
  const add = db.prepare<[string, string, number], { tokens: number }>(
    'INSERT INTO llm_tokens (principal, day, tokens) VALUES (?, ?, ?) ON CONFLICT (principal, day) DO UPDATE SET tokens = tokens + excluded.tokens RETURNING tokens',
  );
  return {
    used: (principal, day) => read.get(principal, day)?.tokens ?? 0,
    charge: (principal, day, tokens) => add.get(principal, day, Math.max(0, Math.ceil(tokens)))!.tokens,
    close: () => db.close(),
  };
}
