import { Lexer, Source, TokenKind } from 'graphql';

const OPEN = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * The deepest nesting of `{`, `[` and `(` in a GraphQL document, read token by token with
 * graphql-js's lexer (no recursion, so any depth is measured). Throws nothing: a lexical
 * error ends the count where it happened. It says how deep a document is when graphql-js's
 * recursive parser cannot read it (about 1,500 levels).
 * @example nestingDepth('{ a(x: [[1]]) { b } }'); // 3
 */
export function nestingDepth(source: string): number {
  const lexer = new Lexer(new Source(source));
  let depth = 0;
  let deepest = 0;
  try {
    for (;;) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) break;
      if (OPEN.has(token.kind)) deepest = Math.max(deepest, ++depth);
      else if (CLOSE.has(token.kind)) depth = Math.max(0, depth - 1);
    }
  } catch {
    // a syntax error: the tokens before it are measured
  }
  return deepest;
}
