import { GraphQLError } from 'graphql';

/** One thing wrong with a write's input: where (`upsert.lots[3].status`), a stable code, and why. */
export interface InputProblem {
  /** The input path: the argument, the table's list, the row's index and the field. */
  key: string;
  /** The data-format core's code (`MISSING_VALUE`, `WRONG_TYPE`, `UNKNOWN_ENUM_VALUE`, `NOT_OWN_FIRM`, `DUPLICATE_KEY`, `MISSING_REFERENCE`...) or the write API's own (`TOO_MANY_ROWS`, `NOTHING_TO_WRITE`, `CONSTRAINT_VIOLATED`, receipts' `SHIPMENT_MISMATCH`...). */
  code: string;
  /** The sentence, exactly as the core (or the check) gives it. */
  reason: string;
}

/** Most problems one refusal lists (the first is in the message). */
export const MAX_LISTED_PROBLEMS = 50;

/**
 * The refusal of a whole write (nothing is written): BAD_USER_INPUT whose message names the
 * first problem's input path and reason, with every problem (up to 50) in
 * `extensions.problems` and the first one's `key` and `problem` code at the top, as the
 * agreement mutations name a bad key. Built without a stack trace.
 * @example throw writeRefusal('skyframe', [{ key: 'upsert.lots[3].status', code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'on hold' (...)" }])
 */
export function writeRefusal(firmId: string, problems: readonly InputProblem[]): GraphQLError {
  const [first] = problems;
  if (!first) throw new Error('writeRefusal: no problem to report');
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}: extensions.problems)` : '';
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(`${first.key}: ${first.reason}; nothing was written${more}.`, {
      extensions: {
        code: 'BAD_USER_INPUT',
        firmId,
        key: first.key,
        problem: first.code,
        problems: problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => ({ key: p.key, code: p.code, reason: p.reason })),
        ...(problems.length > MAX_LISTED_PROBLEMS ? { problemsTruncated: true } : {}),
      },
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
