import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CIRCUIT_BREAKER_DEFAULTS } from '../../../routing/circuitBreaker.js';
import type { CallOutcome, CircuitBreakerOptions } from '../../../routing/circuitBreaker.js';

function breakerAt(options: Omit<CircuitBreakerOptions, 'now'> = {}) {
  const clock = { t: 1_000_000 };
  const breaker = new CircuitBreaker({ ...options, now: () => clock.t });
  const call = (outcome: CallOutcome): boolean => {
    const permit = breaker.tryAcquire();
    breaker.record(permit, outcome);
    return permit.allowed;
  };
  return { clock, breaker, call };
}

describe('CircuitBreaker', () => {
  it('defaults to 5 failures within 60 s, and a 30 s cool-down', () => {
    expect(CIRCUIT_BREAKER_DEFAULTS).toEqual({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 });
    const { clock, breaker, call } = breakerAt();
    for (let i = 0; i < 4; i++) expect(call('failure')).toBe(true);
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 4, opened: 0, rejected: 0 });
    expect(call('failure')).toBe(true);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, state: 'open', retryAt: clock.t + 30_000, failures: 5 });
    clock.t += 29_999;
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.t += 1;
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.tryAcquire()).toMatchObject({ allowed: true, probe: true });
  });

  it('opens after N consecutive failures; a success in between starts the count again', () => {
    const { breaker, call } = breakerAt({ failureThreshold: 3 });
    call('failure');
    call('failure');
    call('success');
    call('failure');
    call('failure');
    expect(breaker.snapshot().state).toBe('closed');
    call('failure');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', opened: 1 });
  });

  it('forgets failures older than the window', () => {
    const { clock, breaker, call } = breakerAt({ failureThreshold: 3, windowMs: 1_000 });
    call('failure');
    call('failure');
    clock.t += 1_001;
    call('failure'); // starts a new run: the two before are outside the window
    call('failure');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    call('failure');
    expect(breaker.snapshot().state).toBe('open');
  });

  it('refuses while open, lets exactly one probe through after the cool-down, closes on its success', () => {
    const { clock, breaker, call } = breakerAt({ failureThreshold: 2, cooldownMs: 1_000 });
    call('failure');
    call('failure');
    expect(call('success')).toBe(false); // refused: not sent, records nothing
    clock.t += 1_000;
    const probe = breaker.tryAcquire();
    expect(probe).toMatchObject({ allowed: true, probe: true });
    const meanwhile = breaker.tryAcquire();
    expect(meanwhile).toMatchObject({ allowed: false, state: 'half-open' });
    breaker.record(probe, 'success');
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, opened: 1, rejected: 2 });
    expect(breaker.tryAcquire()).toMatchObject({ allowed: true, probe: false });
  });

  it('re-opens for another cool-down when the probe fails', () => {
    const { clock, breaker, call } = breakerAt({ failureThreshold: 2, cooldownMs: 1_000 });
    call('failure');
    call('failure');
    clock.t += 1_000;
    expect(call('failure')).toBe(true); // the probe
    expect(breaker.tryAcquire()).toEqual({ allowed: false, state: 'open', retryAt: clock.t + 1_000, failures: 3 });
    expect(breaker.snapshot()).toMatchObject({ state: 'open', opened: 2 });
  });

  it('ignores late results of calls permitted before it opened; only the probe decides', () => {
    const { clock, breaker, call } = breakerAt({ failureThreshold: 2, cooldownMs: 1_000 });
    const early = breaker.tryAcquire();
    call('failure');
    call('failure');
    breaker.record(early, 'success'); // sent before the circuit opened, answered after
    expect(breaker.snapshot().state).toBe('open');
    clock.t += 1_000;
    const probe = breaker.tryAcquire();
    breaker.record(early, 'success');
    expect(breaker.snapshot().state).toBe('half-open');
    breaker.record(probe, 'success');
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('frees the probe slot when the probe is abandoned, and replaces a probe that never reports', () => {
    const { clock, breaker, call } = breakerAt({ failureThreshold: 1, cooldownMs: 1_000 });
    call('failure');
    clock.t += 1_000;
    const abandoned = breaker.tryAcquire();
    breaker.record(abandoned, 'abandoned');
    const lost = breaker.tryAcquire();
    expect(lost).toMatchObject({ allowed: true, probe: true });
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.t += 1_000;
    const replacement = breaker.tryAcquire();
    expect(replacement).toMatchObject({ allowed: true, probe: true });
    breaker.record(lost, 'success'); // stale probe: ignored
    expect(breaker.snapshot().state).toBe('half-open');
    breaker.record(replacement, 'success');
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('abandoned calls neither count as failures nor reset the count', () => {
    const { breaker, call } = breakerAt({ failureThreshold: 2 });
    call('failure');
    call('abandoned');
    call('failure');
    expect(breaker.snapshot().state).toBe('open');
  });

  it('refuses bad options, naming them', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker({ failureThreshold: 1.5 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).toThrow(/cooldownMs/);
    expect(() => new CircuitBreaker({ windowMs: Number.NaN })).toThrow(/windowMs/);
  });

  it('invariants under any sequence of calls, results and clock steps', () => {
    type Step = { kind: 'call'; outcome: CallOutcome; hold: boolean } | { kind: 'settle'; outcome: CallOutcome } | { kind: 'tick'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('call' as const), outcome: fc.constantFrom<CallOutcome>('success', 'failure', 'abandoned'), hold: fc.boolean() }),
      fc.record({ kind: fc.constant('settle' as const), outcome: fc.constantFrom<CallOutcome>('success', 'failure', 'abandoned') }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const { clock, breaker } = breakerAt({ failureThreshold: 3, windowMs: 2_000, cooldownMs: 1_000 });
        const held: ReturnType<CircuitBreaker['tryAcquire']>[] = [];
        for (const s of steps) {
          if (s.kind === 'tick') {
            clock.t += s.ms;
            continue;
          }
          if (s.kind === 'settle') {
            const permit = held.shift();
            if (permit) breaker.record(permit, s.outcome);
            continue;
          }
          const before = breaker.snapshot();
          const permit = breaker.tryAcquire();
          // Closed always lets calls through; open before the cool-down never does.
          if (before.state === 'closed') expect(permit.allowed).toBe(true);
          if (before.state === 'open') expect(permit.allowed).toBe(false);
          // A refusal names when the firm will be tried again: never further than one cool-down away.
          if (!permit.allowed) expect(permit.retryAt).toBeLessThanOrEqual(clock.t + 1_000);
          if (s.hold) held.push(permit);
          else breaker.record(permit, s.outcome);
        }
        // At most one probe is ever in flight: two acquisitions in a row never both probe.
        const a = breaker.tryAcquire();
        const b = breaker.tryAcquire();
        expect(a.allowed && a.probe && b.allowed && b.probe).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
