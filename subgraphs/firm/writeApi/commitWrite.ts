import type { Caller } from '../../../identity/caller.js';
import { applyChanges, type ChangeSet } from '../data/applyChanges.js';
import type { FirmDb } from '../db/firmDb.js';
import type { LoggedChange } from '../db/governanceTables.js';
import { appendWriteEntry } from '../writeLog/appendWriteEntry.js';
import { constraintProblem } from './constraintProblem.js';
import { writeRefusal } from './writeRefusal.js';

/** Who writes, when, and how the write log names it. */
export interface WriteRecord {
  firmId: string;
  actor: Caller;
  at: Date;
  /** `writeRows`, `recordReceipt`. */
  operation: string;
  detail: string | null;
}

/** What a committed write changed, and its write log entry. */
export interface WriteOutcome {
  seq: number;
  changes: LoggedChange[];
}

/** More rows a write makes besides its change set (a receipt's checks): what they change, and how to write them once the entry's seq is known. */
export interface AlsoWrite {
  changes: LoggedChange[];
  write(tx: FirmDb, seq: number): Promise<void>;
}

/**
 * Applies a checked change set in ONE transaction (the core's applyChanges: deletions, then
 * upserts, batched) and appends its write log entry in that same transaction, so that the rows
 * and the entry commit together or not at all. `also` adds rows written in the transaction
 * after the entry (they carry its seq) and listed in it. The database's own refusal (an
 * in-firm foreign key at commit, a CHECK) rolls everything back and is BAD_USER_INPUT
 * (CONSTRAINT_VIOLATED); any other failure stays internal.
 * @example const { seq, changes } = await commitWrite(db, checked.changes, { firmId, actor, at: now, operation: 'writeRows', detail: null });
 */
export async function commitWrite(
  db: FirmDb,
  set: ChangeSet,
  record: WriteRecord,
  also?: AlsoWrite,
): Promise<WriteOutcome> {
  let outcome: WriteOutcome | undefined;
  try {
    await applyChanges(db, set, {
      inTransaction: async (tx, changes) => {
        const all = [...changes, ...(also?.changes ?? [])];
        const entry = await appendWriteEntry(tx, {
          at: record.at,
          actorFirm: record.actor.firmId,
          actorSubject: record.actor.subject,
          roles: record.actor.roles,
          operation: record.operation,
          detail: record.detail,
          changes: all,
        });
        await also?.write(tx, entry.seq);
        outcome = { seq: entry.seq, changes: all };
      },
    });
  } catch (error) {
    const problem = constraintProblem(error);
    if (problem) throw writeRefusal(record.firmId, [problem]);
    throw error;
  }
  if (!outcome) throw new Error('commitWrite: the transaction committed without its write log entry');
  return outcome;
}
