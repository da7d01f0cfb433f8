import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateCredits } from './billing-ledger';
import { seedDemoData, seedOperationsData } from './seed';

/** The demo systems' database handle. */
export type SystemsDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, status TEXT NOT NULL, service TEXT NOT NULL, plan TEXT NOT NULL,
  pincode TEXT NOT NULL, dues REAL NOT NULL DEFAULT 0, lock_in_until TEXT);
CREATE TABLE IF NOT EXISTS invoices (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), period TEXT NOT NULL, currency TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invoice_lines (invoice_id TEXT NOT NULL REFERENCES invoices(id), line_no INTEGER NOT NULL, description TEXT NOT NULL,
  amount REAL NOT NULL, PRIMARY KEY (invoice_id, line_no));
CREATE TABLE IF NOT EXISTS credits (id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, line_no INTEGER NOT NULL, account_id TEXT NOT NULL,
  amount REAL NOT NULL, currency TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outages (id TEXT PRIMARY KEY, service TEXT NOT NULL, pincode TEXT NOT NULL, status TEXT NOT NULL, summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outage_links (outage_id TEXT NOT NULL REFERENCES outages(id), account_id TEXT NOT NULL, linked_at TEXT NOT NULL, PRIMARY KEY (outage_id, account_id));
CREATE TABLE IF NOT EXISTS lines (account_id TEXT PRIMARY KEY REFERENCES accounts(id), line_status TEXT NOT NULL, fault_code TEXT NOT NULL, resets INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS technician_visits (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, pincode TEXT NOT NULL, fault_code TEXT NOT NULL, slot TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customer_notifications (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, template TEXT NOT NULL, ref TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plans (id TEXT PRIMARY KEY, service TEXT NOT NULL, monthly_fee REAL NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS plan_changes (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, from_plan TEXT NOT NULL, to_plan TEXT NOT NULL, effective_date TEXT NOT NULL,
  status TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rerates (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, plan TEXT NOT NULL, monthly_fee REAL NOT NULL, effective_date TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS employees (id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL, manager_group TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS iam_systems (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS iam_system_roles (system_id TEXT NOT NULL REFERENCES iam_systems(id), role TEXT NOT NULL, departments TEXT NOT NULL, PRIMARY KEY (system_id, role));
CREATE TABLE IF NOT EXISTS access_grants (id TEXT PRIMARY KEY, employee_id TEXT NOT NULL, system_id TEXT NOT NULL, role TEXT NOT NULL, expires_at TEXT NOT NULL,
  granted_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, idempotency_key TEXT NOT NULL, ref TEXT NOT NULL,
  payload TEXT NOT NULL, at TEXT NOT NULL);
`;

/** Opens (creating and seeding if new) the demo systems' SQLite database. */
export function openSystemsDb(file: string): SystemsDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  migrateCredits(db);
  const { n } = db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number };
  if (n === 0) seedDemoData(db);
  seedOperationsData(db);
  return db;
}
