import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../../config/configError.js';
import { exportFirmData } from '../../subgraphs/firm/accessLog/exportFirmData.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { openOfflineFirm, readPolicyFile } from './logCommand.js';

function writeTo(out: WriteStream, chunk: string): Promise<void> {
  return new Promise((done, fail) => {
    if (out.write(chunk)) done();
    else {
      out.once('drain', done);
      out.once('error', fail);
    }
  });
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((done, fail) => {
    out.once('error', fail);
    out.end(() => done());
  });
}

/**
 * `dataspace export --firm <id> [--config <firm.yaml>] <file>`: writes all of a firm's data,
 * its policy, agreements, access requests and access log (with its verification) to one
 * JSON document (docs/export-format.md). The file appears only when complete.
 */
export async function exportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { firm: { type: 'string' }, config: { type: 'string' } });
  const [target, ...extra] = positionals;
  if (!target) throw new ConfigError('command line', '<file>', 'required: the file to write the export to');
  if (extra.length > 0) throw new ConfigError('command line', 'export', `unexpected argument "${extra[0] ?? ''}"`);
  const file = resolve(target);
  const firm = await openOfflineFirm(values, 'export');
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { encoding: 'utf8' });
  try {
    const counts = await exportFirmData(
      firm.database.db,
      { firmId: firm.firmId, database: { driver: firm.database.driver, location: firm.location }, policy: readPolicyFile(firm.policyFile) },
      { write: (chunk) => writeTo(out, chunk) },
    );
    await closeStream(out);
    await rename(partial, file);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`exported firm ${firm.firmId}: ${rows} rows (${counts.accessLog ?? 0} access log entries) to ${file}\n`);
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  } finally {
    await firm.database.close();
  }
}
