import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server';

/**
 * The embedded stack's Temporal keeps its SQLite file with synchronous=NORMAL (no fsync per
 * commit): every start it acknowledged must still be there after the server is killed with
 * SIGKILL, the way a crashed `npm start` restarts.
 */
const dbFile = path.join(process.env.TEST_TMP_DIR ?? '/tmp', `temporal-durability-${randomUUID()}.db`);
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
});

test('every workflow start acknowledged before a SIGKILL of the dev server is found after its restart', async () => {
  server = await startDevServer({ headless: true, dbFile });
  const ids = Array.from({ length: 30 }, (_, i) => `durability-${i}-${randomUUID()}`);
  let connection = await Connection.connect({ address: server.address });
  let client = new Client({ connection });
  // Started without a worker: they stay running, each one acknowledged by the server.
  await Promise.all(ids.map((workflowId) => client.workflow.start('nobodyPollsThis', { workflowId, taskQueue: `durability-${randomUUID()}` })));
  await connection.close();
  await server.process.kill();

  server = await startDevServer({ headless: true, dbFile, port: server.port });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  try {
    const found = await Promise.all(ids.map(async (id) => (await client.workflow.getHandle(id).describe()).status.name));
    expect(found).toEqual(ids.map(() => 'RUNNING'));
  } finally {
    await connection.close();
  }
}, 120_000);
