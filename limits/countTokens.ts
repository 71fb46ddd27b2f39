import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Counts the lexical tokens of a GraphQL document as graphql-js's `parse({ maxTokens })`
 * counts them (punctuators, names, values; not comments), stopping after `stopAfter`.
 * Throws nothing: a lexical error ends the count where it happened.
 * @example countTokens('{ firms { id } }'); // 5
 */
export function countTokens(source: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count < stopAfter) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) break;
      if (token.kind !== TokenKind.COMMENT) count += 1;
    }
  } catch {
    // a syntax error: the tokens before it are counted
  }
  return count;
}
