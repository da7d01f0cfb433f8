import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { buildSystemsApp } from './app';
import { openSystemsDb } from './db';

/** Runs the demo systems of record on SYSTEMS_PORT with state in DATA_DIR/systems.db. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'systems', pretty: config.logPretty });
  const db = openSystemsDb(config.systems.dbFile);
  const app = buildSystemsApp({ db, logger: log, adminToken: config.systems.adminToken, requestLogLevel: config.logPretty ? 'debug' : 'info' });
  const close = async () => {
    await app.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: config.http.host, port: config.systems.port });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
