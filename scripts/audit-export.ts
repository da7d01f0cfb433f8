/**
 * `npm run audit:export -- <problemId> [outDir]`: writes the problem's Temporal history as JSON
 * (the raw record, replayable and readable with `temporal workflow show`) and a human-readable
 * Markdown summary of its audit steps, then prints both paths.
 *
 * Connects like the API (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS/API key) and decrypts with
 * PAYLOAD_ENCRYPTION_KEYS when set. The history JSON holds payloads as stored: with encryption
 * on they stay encrypted; without it they include the submitted text, so handle the file as
 * personal data. The summary never includes the text, prompts or model output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createAuditService } from '../src/audit/audit-service';
import { payloadDecoder } from '../src/audit/history';
import { renderAuditMarkdown } from '../src/audit/markdown';
import { reconstructAudit } from '../src/audit/reconstruct';
import { loadConfig } from '../src/config';
import { catalog } from '../src/domain/registry';
import { dataConverterFor } from '../src/temporal/codec/data-converter';
import { connectionOptions } from '../src/temporal/connection';

const USAGE = 'usage: npm run audit:export -- <problemId> [outDir]   (default outDir: $DATA_DIR/audit/<problemId>)';

async function main(): Promise<number> {
  const [id, outArg] = process.argv.slice(2);
  if (!id || !/^prb_[0-9A-Za-z]{10,40}$/.test(id)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const connection = await Connection.connect(connectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config.encryption) });
    const history = await createAuditService({ client, catalog }).fetchHistory(id);
    const audit = await reconstructAudit(history, catalog, payloadDecoder(client.options.loadedDataConverter));
    const outDir = path.resolve(outArg ?? path.join(config.dataDir, 'audit', id));
    fs.mkdirSync(outDir, { recursive: true });
    const historyFile = path.join(outDir, `${id}.history.json`);
    const summaryFile = path.join(outDir, `${id}.audit.md`);
    fs.writeFileSync(historyFile, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
    fs.writeFileSync(summaryFile, renderAuditMarkdown(id, audit, new Date().toISOString()));
    console.log(`history (${audit.eventCount} events${config.encryption ? ', payloads encrypted as stored' : ', includes customer text'}): ${historyFile}`);
    console.log(`summary (${audit.steps.length} steps, status ${audit.status ?? 'unknown'}): ${summaryFile}`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const notFound = err instanceof Error && err.name === 'ApiError' && (err as { status?: number }).status === 404;
    console.error(notFound ? `no such problem: ${process.argv[2]}` : err instanceof Error ? err.message : err);
    process.exit(notFound ? 3 : 1);
  },
);
