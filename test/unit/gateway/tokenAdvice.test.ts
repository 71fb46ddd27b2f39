import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../cluster/directory.js';
import { firmHint, tokenAdvice } from '../../../gateway/tokenAdvice.js';
import { trustFixture } from '../identity/trustFixture.js';

function directory(): Directory {
  const { directory: d } = trustFixture();
  return {
    ...d,
    members: d.members.map((m) =>
      m.id === 'bolt'
        ? {
            ...m,
            identityProvider: {
              issuer: 'https://login.bolt.example',
              jwksUri: 'https://login.bolt.example/jwks',
              algorithms: ['RS256'],
              claims: { subject: ['sub'], roles: ['roles'], purpose: ['purpose'] },
              cacheSeconds: 600,
              maxStaleSeconds: 3600,
              minRefreshSeconds: 10,
            },
          }
        : m,
    ),
  };
}

describe("the gateway's answer to a request without a token", () => {
  it('names the way for the firm the request names', () => {
    const d = directory();
    expect(tokenAdvice(d, 'acme')).toBe("A bearer token is required: users of acme get one from `npx dataspace token --firm acme --key <acme's user-token key file> --cluster aero`.");
    expect(tokenAdvice(d, 'acme', { demoKeys: true })).toBe('A bearer token is required: users of acme get one from `npx dataspace token --firm acme`.');
    expect(tokenAdvice(d, 'bolt')).toBe(
      "A bearer token is required: users of bolt get one from its identity provider (issuer https://login.bolt.example), or from `npx dataspace token --firm bolt --key <bolt's user-token key file> --cluster aero`.",
    );
    const idpOnly = { ...d, members: d.members.map((m) => (m.id === 'bolt' ? { ...m, publicKeys: [] } : m)) };
    expect(tokenAdvice(idpOnly, 'bolt')).toBe('A bearer token is required: users of bolt get one from its identity provider (issuer https://login.bolt.example).');
    expect(tokenAdvice(d, 'nobody')).toBe('A bearer token is required; nobody is not a member of cluster aero.');
  });

  it('without a firm, names every way and the header that would narrow it', () => {
    const text = tokenAdvice(directory(), undefined);
    expect(text).toContain("a member's identity provider");
    expect(text).toContain('--key');
    expect(text).toContain('x-dataspace-firm: <firmId>');
    expect(tokenAdvice(directory(), undefined, { demoKeys: true })).toContain('`npx dataspace token --firm <firmId>`');
  });

  it('reads the hint only when it is a firm id', () => {
    expect(firmHint({ 'x-dataspace-firm': 'acme' })).toBe('acme');
    expect(firmHint({ 'x-dataspace-firm': ['acme', 'bolt'] })).toBe('acme');
    expect(firmHint({ 'x-dataspace-firm': '<script>' })).toBeUndefined();
    expect(firmHint({})).toBeUndefined();
  });
});
