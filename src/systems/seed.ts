import type Database from 'better-sqlite3';

/** Seeds the demo records of the external contract. Add records freely; change none. */
export function seedDemoData(db: Database.Database): void {
  const account = db.prepare('INSERT INTO accounts (id, status, service, plan, pincode, dues, lock_in_until) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const invoice = db.prepare('INSERT INTO invoices (id, account_id, period, currency) VALUES (?, ?, ?, ?)');
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line_no, description, amount) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    account.run('ACC-1001', 'active', 'fiber', 'FIBER-100', '400001', 0, null);
    account.run('ACC-1002', 'active', 'mobile', 'MOB-299', '560001', 0, '2027-03-31');
    account.run('ACC-1003', 'suspended', 'fiber', 'FIBER-300', '110001', 1250, null);
    invoice.run('INV-2001', 'ACC-1001', '2026-10', 'INR');
    line.run('INV-2001', 1, 'FIBER-100', 999);
    line.run('INV-2001', 2, 'Installation', 1500);
    invoice.run('INV-2002', 'ACC-1002', '2026-10', 'INR');
    line.run('INV-2002', 1, 'MOB-299', 299);
    line.run('INV-2002', 2, 'MOB-299', 299);
    invoice.run('INV-2003', 'ACC-1003', '2026-09', 'INR');
    line.run('INV-2003', 1, 'FIBER-300', 1250);
  })();
}

/**
 * Seeds network, plan catalog and IAM records, and extra demo accounts. `INSERT OR IGNORE`
 * so a database created before these records existed gains them on its next start.
 */
export function seedOperationsData(db: Database.Database): void {
  const account = db.prepare('INSERT OR IGNORE INTO accounts (id, status, service, plan, pincode, dues, lock_in_until) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const outage = db.prepare('INSERT OR IGNORE INTO outages (id, service, pincode, status, summary) VALUES (?, ?, ?, ?, ?)');
  const line = db.prepare('INSERT OR IGNORE INTO lines (account_id, line_status, fault_code, resets) VALUES (?, ?, ?, ?)');
  const plan = db.prepare('INSERT OR IGNORE INTO plans (id, service, monthly_fee, active) VALUES (?, ?, ?, ?)');
  const employee = db.prepare('INSERT OR IGNORE INTO employees (id, name, department, manager_group, active) VALUES (?, ?, ?, ?, ?)');
  const system = db.prepare('INSERT OR IGNORE INTO iam_systems (id, name) VALUES (?, ?)');
  const role = db.prepare('INSERT OR IGNORE INTO iam_system_roles (system_id, role, departments) VALUES (?, ?, ?)');
  db.transaction(() => {
    // Extra accounts (not in the contract) so every diagnostics branch has a record.
    account.run('ACC-1004', 'active', 'fiber', 'FIBER-300', '560034', 0, null);
    account.run('ACC-1005', 'active', 'mobile', 'MOB-599', '411001', 0, null);
    account.run('ACC-1006', 'active', 'fiber', 'FIBER-100', '600001', 0, null);
    outage.run('OUT-3001', 'fiber', '400001', 'active', 'Fiber cut near the Fort exchange');
    // Remote line diagnostics are deterministic per account: the seeded line state.
    line.run('ACC-1001', 'down', 'area_outage', 0);
    line.run('ACC-1002', 'degraded', 'sync_lost', 0);
    line.run('ACC-1003', 'down', 'suspended', 0);
    line.run('ACC-1004', 'down', 'fiber_cut', 0);
    line.run('ACC-1005', 'degraded', 'config_error', 2);
    line.run('ACC-1006', 'degraded', 'sync_lost', 0);
    plan.run('FIBER-100', 'fiber', 799, 1);
    plan.run('FIBER-300', 'fiber', 1250, 1);
    plan.run('MOB-299', 'mobile', 299, 1);
    plan.run('MOB-599', 'mobile', 599, 1);
    employee.run('EMP-501', 'Asha Rao', 'engineering', 'eng-managers', 1);
    employee.run('EMP-502', 'Vikram Shah', 'finance', 'fin-managers', 1);
    employee.run('EMP-503', 'Kiran Das', 'engineering', 'eng-managers', 0);
    system.run('grafana', 'Grafana');
    system.run('prod-db', 'Production database');
    role.run('grafana', 'viewer', JSON.stringify(['engineering', 'finance']));
    role.run('grafana', 'editor', JSON.stringify(['engineering', 'finance']));
    role.run('prod-db', 'read', JSON.stringify(['engineering', 'finance']));
    role.run('prod-db', 'admin', JSON.stringify(['engineering']));
  })();
}
