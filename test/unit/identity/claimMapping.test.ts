import { describe, expect, it } from 'vitest';
import type { ClaimMapping } from '../../../cluster/directory.js';
import { claimAt, mapClaims } from '../../../identity/claimMapping.js';

const DEFAULTS: ClaimMapping = { subject: ['sub'], roles: ['roles'], purpose: ['purpose'] };
const KEYCLOAK: ClaimMapping = { subject: ['preferred_username'], roles: ['realm_access', 'roles'], purpose: ['purpose'] };

describe('claim mapping', () => {
  it('reads nested claims and names with dots', () => {
    expect(claimAt({ realm_access: { roles: ['planner'] } }, ['realm_access', 'roles'])).toEqual(['planner']);
    expect(claimAt({ 'https://aero.example/roles': ['x'] }, ['https://aero.example/roles'])).toEqual(['x']);
    expect(claimAt({ realm_access: ['planner'] }, ['realm_access', 'roles'])).toBeUndefined();
    expect(claimAt({}, ['a', 'b'])).toBeUndefined();
    // Only own members: nothing from the prototype.
    expect(claimAt({}, ['constructor'])).toBeUndefined();
  });

  it("maps Entra ID's roles and Keycloak's realm roles; no roles claim is no role", () => {
    expect(mapClaims({ sub: 'u1', roles: ['planner', 'quality'], purpose: 'planning' }, DEFAULTS, 'structura')).toEqual({ ok: true, subject: 'u1', roles: ['planner', 'quality'], purpose: 'planning' });
    expect(mapClaims({ preferred_username: 'alice', realm_access: { roles: ['planner', 'offline_access'] } }, KEYCLOAK, 'structura')).toEqual({ ok: true, subject: 'alice', roles: ['planner', 'offline_access'] });
    expect(mapClaims({ sub: 'u1' }, DEFAULTS, 'structura')).toEqual({ ok: true, subject: 'u1', roles: [] });
    expect(mapClaims({ sub: 'u1', roles: 'planner  quality' }, DEFAULTS, 'structura')).toMatchObject({ roles: ['planner', 'quality'] });
  });

  it('refuses ill-typed claims with TOKEN_INVALID naming the claim', () => {
    expect(mapClaims({ roles: [] }, DEFAULTS, 'structura')).toMatchObject({ ok: false, code: 'TOKEN_INVALID', message: expect.stringContaining('claim sub') });
    expect(mapClaims({ sub: '' }, DEFAULTS, 'structura')).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(mapClaims({ preferred_username: 'u', realm_access: { roles: [1] } }, KEYCLOAK, 'structura')).toMatchObject({ ok: false, message: expect.stringContaining('realm_access.roles') });
    expect(mapClaims({ sub: 'u', purpose: 7 }, DEFAULTS, 'structura')).toMatchObject({ ok: false, message: expect.stringContaining('claim purpose') });
    expect(mapClaims({ sub: 'u', roles: Array.from({ length: 101 }, (_, i) => `r${i}`) }, DEFAULTS, 'structura')).toMatchObject({ ok: false });
  });

  it('the firm is the entry\'s: a mapped firm claim must name it, else FIRM_MISMATCH', () => {
    const withFirm: ClaimMapping = { ...DEFAULTS, firm: ['org'] };
    expect(mapClaims({ sub: 'u', org: 'structura' }, withFirm, 'structura')).toMatchObject({ ok: true });
    expect(mapClaims({ sub: 'u', org: 'skyframe' }, withFirm, 'structura')).toMatchObject({ ok: false, code: 'FIRM_MISMATCH' });
    expect(mapClaims({ sub: 'u' }, withFirm, 'structura')).toMatchObject({ ok: false, code: 'FIRM_MISMATCH' });
    // Without a firm mapping, a token's own `firm` claim decides nothing.
    expect(mapClaims({ sub: 'u', firm: 'skyframe' }, DEFAULTS, 'structura')).toMatchObject({ ok: true });
  });
});
