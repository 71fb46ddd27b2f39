import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { enumCheck } from './constraints.js';

/**
 * The tables of a firm's sovereignty: its access log, its access requests and the
 * agreements it granted. They live in the firm's own database, next to its data.
 */

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** What one read returned of one type (an access log entry holds one per type read). */
export interface LoggedRead {
  type: string;
  fields: string[];
  rows: number;
  rules: string[];
}

/**
 * The access log: one entry per request that read the firm's data, appended before the
 * data leaves, hash-chained (`hash` = SHA-256 over `prevHash` and the entry's content).
 */
export const accessLog = pgTable(
  'access_log',
  {
    seq: integer('seq').primaryKey(),
    at: instant('at').notNull(),
    callerFirm: text('caller_firm').notNull(),
    callerSubject: text('caller_subject').notNull(),
    roles: jsonb('roles').$type<string[]>().notNull(),
    purpose: text('purpose'),
    operationName: text('operation_name'),
    operationHash: text('operation_hash').notNull(),
    reads: jsonb('reads').$type<LoggedRead[]>().notNull(),
    deniedFields: jsonb('denied_fields').$type<string[]>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('access_log_caller_idx').on(t.callerFirm, t.at), index('access_log_at_idx').on(t.at)],
);

/** The head of the chain (one row, id 1): locked while an entry is appended, so entries never fork. */
export const accessLogHead = pgTable('access_log_head', {
  id: integer('id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

export const ACCESS_REQUEST_STATES = ['PENDING', 'GRANTED', 'REJECTED'] as const;

/** Requests for access addressed to this firm by other members. */
export const accessRequests = pgTable(
  'access_requests',
  {
    requestId: text('request_id').primaryKey(),
    requesterId: text('requester_id').notNull(),
    requestedBy: text('requested_by').notNull(),
    types: jsonb('types').$type<string[]>().notNull(),
    fields: jsonb('fields').$type<string[]>().notNull(),
    purpose: text('purpose').notNull(),
    days: integer('days').notNull(),
    note: text('note'),
    state: text('state', { enum: ACCESS_REQUEST_STATES }).notNull(),
    createdAt: instant('created_at').notNull(),
    decidedAt: instant('decided_at'),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    agreementId: text('agreement_id'),
  },
  (t) => [
    index('access_requests_requester_idx').on(t.requesterId),
    index('access_requests_state_idx').on(t.state),
    enumCheck('access_requests_state_check', t.state, ACCESS_REQUEST_STATES),
  ],
);

export const AGREEMENT_STATES = ['ACTIVE', 'REVOKED', 'ENDED'] as const;

/**
 * Agreements this firm granted: each acts as a permit rule for its holder from `validFrom`
 * until `validUntil` (then it reads EXPIRED) unless revoked or ended first. Read on every
 * request: no cache serves a revoked agreement.
 */
export const agreements = pgTable(
  'agreements',
  {
    agreementId: text('agreement_id').primaryKey(),
    requestId: text('request_id'),
    holderId: text('holder_id').notNull(),
    types: jsonb('types').$type<string[]>().notNull(),
    fields: jsonb('fields').$type<string[]>().notNull(),
    purpose: text('purpose').notNull(),
    validFrom: instant('valid_from').notNull(),
    validUntil: instant('valid_until').notNull(),
    state: text('state', { enum: AGREEMENT_STATES }).notNull(),
    grantedBy: text('granted_by').notNull(),
    revokedAt: instant('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [index('agreements_holder_idx').on(t.holderId, t.state), enumCheck('agreements_state_check', t.state, AGREEMENT_STATES)],
);

/** What one write changed of one table (a write log entry holds one per table written). */
export interface LoggedChange {
  table: string;
  upserted: number;
  deleted: number;
  /** The keys written, as `id` or `id/lineNo`; at most the first 100 (`truncated` says so). */
  keys: string[];
  truncated?: boolean;
}

/**
 * The write log (audit trail): one entry per write to the firm's own data (a write mutation,
 * an import, a receipt), appended in the same transaction as the write, hash-chained like the
 * access log. Who (firm, subject, roles), when, what operation, what changed.
 */
export const writeLog = pgTable(
  'write_log',
  {
    seq: integer('seq').primaryKey(),
    at: instant('at').notNull(),
    actorFirm: text('actor_firm').notNull(),
    actorSubject: text('actor_subject').notNull(),
    roles: jsonb('roles').$type<string[]>().notNull(),
    /** e.g. `upsertLots`, `deleteRows`, `recordReceipt`, `import`. */
    operation: text('operation').notNull(),
    /** A short description: the import's files and their SHA-256, a receipt's shipment. */
    detail: text('detail'),
    changes: jsonb('changes').$type<LoggedChange[]>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('write_log_at_idx').on(t.at)],
);

/** The head of the write log's chain (one row, id 1). */
export const writeLogHead = pgTable('write_log_head', {
  id: integer('id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

/** The sovereignty tables, for drizzle's `schema`. */
export const governanceTables = { accessLog, accessLogHead, accessRequests, agreements, writeLog, writeLogHead };
