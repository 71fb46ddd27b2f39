/** A connection's `pageInfo` (Relay): `startCursor`/`endCursor` are methods, computed only when asked for. */
export interface PageInfo {
  hasNextPage: boolean;
  /** Always false: connections page forward only (`first`/`after`). */
  hasPreviousPage: false;
  startCursor(): string | null;
  endCursor(): string | null;
}

/** One edge: a row and its cursor (a method: computed only when asked for). */
export interface Edge<R> {
  node: R;
  cursor(): string;
}

/**
 * One page of a connection (`LotConnection`, `AccessLogConnection`...): the rows, their edges
 * and its `pageInfo`. Its methods are what the GraphQL fields of the same names resolve to
 * (graphql-js's default resolver calls a source's method), so a cursor is made, and
 * `cursorOf`'s side effect (the access log's record of a key read) happens, only for the
 * cursors the response carries.
 * @example
 * const page = Connection.of(rowsFetched, 20, (row) => encodeCursor(tag, row.lotId as string));
 * page.pageInfo().hasNextPage // true when the statement found a 21st row
 */
export class Connection<R> {
  private constructor(
    private readonly rows: readonly R[],
    private readonly more: boolean,
    private readonly cursorOf: (row: R) => string,
  ) {}

  /**
   * The page of `first` rows from the rows a statement fetched with `LIMIT first + 1`: the
   * extra row, if found, only says that another page follows; it is never returned.
   */
  static of<R>(fetched: readonly R[], first: number, cursorOf: (row: R) => string): Connection<R> {
    return new Connection(fetched.slice(0, first), fetched.length > first, cursorOf);
  }

  nodes(): readonly R[] {
    return this.rows;
  }

  edges(): Edge<R>[] {
    return this.rows.map((node) => ({ node, cursor: () => this.cursorOf(node) }));
  }

  pageInfo(): PageInfo {
    const first = this.rows[0];
    const last = this.rows[this.rows.length - 1];
    return {
      hasNextPage: this.more,
      hasPreviousPage: false,
      startCursor: () => (first === undefined ? null : this.cursorOf(first)),
      endCursor: () => (last === undefined ? null : this.cursorOf(last)),
    };
  }
}
