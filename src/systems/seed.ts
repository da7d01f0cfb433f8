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
