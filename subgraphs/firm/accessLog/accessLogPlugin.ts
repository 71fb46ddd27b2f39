import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { FirmContext } from '../firmContext.js';
import { appendEntry, type NewAccessLogEntry } from './appendEntry.js';
import { sha256Hex } from './hashEntry.js';

/** Options of {@link accessLogPlugin}. */
export interface AccessLogPluginOptions {
  /** Where a failed append is reported (the client only learns that the log is unavailable). Default console.error. */
  log?: (error: unknown) => void;
  /** Called after each committed entry and each failed append (metrics). */
  onAppend?: (outcome: 'ok' | 'failed', ms: number) => void;
}

/** The `extensions.code` of a response withheld because its access log entry could not be written. */
export const ACCESS_LOG_UNAVAILABLE = 'ACCESS_LOG_UNAVAILABLE';

/** The access log entry of a request that read the firm's data. */
export function entryOf(rc: GraphQLRequestContextWillSendResponse<FirmContext>): NewAccessLogEntry {
  const ctx = rc.contextValue;
  const { caller } = ctx.access;
  const { reads, deniedFields } = ctx.reads.summary();
  return {
    at: ctx.now,
    callerFirm: caller.firmId,
    callerSubject: caller.subject,
    roles: caller.roles,
    purpose: caller.purpose ?? null,
    operationName: rc.operationName ?? rc.request.operationName ?? null,
    operationHash: sha256Hex(rc.source),
    reads,
    deniedFields,
  };
}

function withhold(rc: GraphQLRequestContextWillSendResponse<FirmContext>): void {
  rc.response.body = {
    kind: 'single',
    singleResult: {
      errors: [
        {
          message: 'The access log could not be written; no data is returned.',
          extensions: { code: ACCESS_LOG_UNAVAILABLE, firmId: rc.contextValue.firmId },
        },
      ],
    },
  };
  rc.response.http.status = 503;
}

/**
 * Writes the access log entry of every request that read the firm's data (rows returned
 * or fields refused, through root fields or `_entities`) and commits it *before* the
 * response is sent: `willSendResponse` runs after execution and before Apollo Server
 * serializes the body, and this hook awaits the commit. If the append fails, the response
 * is replaced by an `ACCESS_LOG_UNAVAILABLE` error (HTTP 503) so that no unlogged data
 * leaves. Requests refused before execution (no valid token) have no context and read
 * nothing; requests that read no governed type (the owner's own log queries, and writes: the
 * write API answers counts, keys and a seq, and the write log records it) are not logged.
 * @example new ApolloServer<FirmContext>({ schema, plugins: [accessLogPlugin({ log })] })
 */
export function accessLogPlugin(options: AccessLogPluginOptions = {}): ApolloServerPlugin<FirmContext> {
  const log = options.log ?? ((error: unknown) => console.error(error));
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const ctx = rc.contextValue;
          // No context reads: nothing of the firm's data was touched.
          if (!ctx?.reads || ctx.reads.isEmpty()) return;
          const started = performance.now();
          try {
            // Incremental delivery would send later parts after this hook: never unlogged.
            if (rc.response.body.kind !== 'single') throw new Error('incremental delivery cannot be access-logged before it is sent');
            await appendEntry(ctx.db, entryOf(rc));
            options.onAppend?.('ok', performance.now() - started);
          } catch (error) {
            options.onAppend?.('failed', performance.now() - started);
            log(new Error(`firm ${ctx.firmId}: access log append failed; response withheld`, { cause: error }));
            withhold(rc);
          }
        },
      };
    },
  };
}
