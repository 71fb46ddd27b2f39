import { describe, expect, it } from 'vitest';
import { nestingDepth } from '../../../limits/nestingDepth.js';

describe('nestingDepth', () => {
  it('measures the deepest nesting of braces, brackets and parentheses', () => {
    expect(nestingDepth('{ a(x: [[1]]) { b } }')).toBe(4);
    expect(nestingDepth('{ a } { b { c } }')).toBe(2);
    expect(nestingDepth('"{[(" # {{{{')).toBe(0);
  });

  it('measures any depth without recursion', () => {
    expect(nestingDepth(`{ a(x: ${'['.repeat(200_000)}1${']'.repeat(200_000)}) }`)).toBe(200_002);
  });

  it('stops at a lexical error, keeping what it measured', () => {
    expect(nestingDepth('{ { ["unterminated')).toBe(3);
  });
});
