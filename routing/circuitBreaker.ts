/** Where a firm's circuit stands. `half-open`: the cool-down is over, one probe may go (or is under way). */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of a {@link CircuitBreaker}; every one has a documented default. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, no connection, 5xx) that open the circuit. Default 5. */
  failureThreshold?: number;
  /**
   * The failures must fall within this many milliseconds (from the first of the run to the
   * one that reaches the threshold); older ones are forgotten. Default 60 000.
   */
  windowMs?: number;
  /** How long an open circuit refuses calls before it lets one probe through, in ms. Default 30 000. */
  cooldownMs?: number;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS = { failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 } as const;

/** The answer to {@link CircuitBreaker.tryAcquire}: go (perhaps as the probe), or do not call. */
export type CircuitPermit =
  | { allowed: true; probe: boolean; id: number }
  | { allowed: false; state: 'open' | 'half-open'; retryAt: number; failures: number };

/** How a permitted call ended. `abandoned`: cancelled by its caller (request deadline), says nothing of the firm. */
export type CallOutcome = 'success' | 'failure' | 'abandoned';

/** A breaker's state for stats and metrics. */
export interface CircuitSnapshot {
  state: CircuitState;
  /** Consecutive failures: counted so far while closed; the run that opened the circuit otherwise. */
  consecutiveFailures: number;
  /** Epoch ms at which an open circuit lets a probe through (absent when closed). */
  retryAt?: number;
  /** How many times the circuit has opened. */
  opened: number;
  /** Calls refused without being sent. */
  rejected: number;
}

/**
 * The circuit breaker of one firm, a pure state machine (no I/O, an injected clock):
 * **closed** → after `failureThreshold` consecutive failures within `windowMs`, **open**:
 * every call is refused without being sent → after `cooldownMs`, **half-open**: exactly one
 * call (the probe) goes through, the others are still refused → the probe's success closes
 * the circuit, its failure opens it for another cool-down. Results of calls permitted
 * before the circuit opened are ignored while it is open or half-open: only the probe
 * decides. A probe abandoned by its caller frees the slot for the next call; a probe that
 * never reports is replaced after another cool-down.
 *
 * @example
 * let t = 0;
 * const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => t });
 * for (let i = 0; i < 2; i++) breaker.record(breaker.tryAcquire(), 'failure');
 * breaker.tryAcquire();      // { allowed: false, state: 'open', retryAt: 1000, failures: 2 }
 * t = 1000;
 * const probe = breaker.tryAcquire(); // { allowed: true, probe: true, id: 4 }
 * breaker.record(probe, 'success');
 * breaker.snapshot().state;  // 'closed'
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private state: 'closed' | 'open' = 'closed';
  private failures = 0;
  private firstFailureAt = 0;
  private retryAt = 0;
  /** The permit id of the probe under way, with when it started. */
  private probe: { id: number; since: number } | undefined;
  private lastFailures = 0;
  private nextId = 1;
  private opened = 0;
  private rejected = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? CIRCUIT_BREAKER_DEFAULTS.failureThreshold;
    this.windowMs = options.windowMs ?? CIRCUIT_BREAKER_DEFAULTS.windowMs;
    this.cooldownMs = options.cooldownMs ?? CIRCUIT_BREAKER_DEFAULTS.cooldownMs;
    this.now = options.now ?? Date.now;
    assertCircuitBreakerOptions(options);
  }

  /**
   * Asks whether a call may be sent now. Every allowed permit must later be passed to
   * {@link record} with how the call ended.
   * @example const permit = breaker.tryAcquire(); if (!permit.allowed) return skip(permit.retryAt);
   */
  tryAcquire(): CircuitPermit {
    const id = this.nextId++;
    if (this.state === 'closed') return { allowed: true, probe: false, id };
    const now = this.now();
    const probeLost = this.probe !== undefined && now - this.probe.since >= this.cooldownMs;
    if (now >= this.retryAt && (this.probe === undefined || probeLost)) {
      this.probe = { id, since: now };
      return { allowed: true, probe: true, id };
    }
    this.rejected += 1;
    const retryAt = this.probe ? this.probe.since + this.cooldownMs : this.retryAt;
    return { allowed: false, state: now >= this.retryAt ? 'half-open' : 'open', retryAt, failures: this.lastFailures };
  }

  /**
   * Records how a permitted call ended. Refused permits are ignored.
   * @example breaker.record(permit, response.ok ? 'success' : 'failure');
   */
  record(permit: CircuitPermit, outcome: CallOutcome): void {
    if (!permit.allowed) return;
    const now = this.now();
    if (this.state === 'closed') {
      if (outcome === 'success') this.failures = 0;
      if (outcome !== 'failure') return;
      if (this.failures === 0 || now - this.firstFailureAt > this.windowMs) {
        this.failures = 0;
        this.firstFailureAt = now;
      }
      this.failures += 1;
      if (this.failures >= this.threshold) this.open(now, this.failures);
      return;
    }
    if (!permit.probe || this.probe?.id !== permit.id) return;
    this.probe = undefined;
    if (outcome === 'success') {
      this.state = 'closed';
      this.failures = 0;
    } else if (outcome === 'failure') {
      this.open(now, this.lastFailures + 1);
    }
    // abandoned: still half-open, the next call is the probe.
  }

  /**
   * The breaker's state now (an open circuit whose cool-down is over reads `half-open`).
   * @example breaker.snapshot(); // { state: 'open', consecutiveFailures: 0, retryAt: 1717000030000, opened: 1, rejected: 12 }
   */
  snapshot(): CircuitSnapshot {
    const common = { opened: this.opened, rejected: this.rejected };
    if (this.state === 'closed') return { state: 'closed', consecutiveFailures: this.failures, ...common };
    const halfOpen = this.now() >= this.retryAt;
    return { state: halfOpen ? 'half-open' : 'open', consecutiveFailures: this.lastFailures, retryAt: this.retryAt, ...common };
  }

  private open(now: number, failures: number): void {
    this.state = 'open';
    this.retryAt = now + this.cooldownMs;
    this.lastFailures = failures;
    this.failures = 0;
    this.opened += 1;
  }
}

/**
 * Throws on an option that is not a positive number (an integer for the threshold), naming it.
 * @example assertCircuitBreakerOptions({ failureThreshold: 0 }); // throws: failureThreshold must be...
 */
export function assertCircuitBreakerOptions(options: CircuitBreakerOptions): void {
  const { failureThreshold, windowMs, cooldownMs } = options;
  if (failureThreshold !== undefined && (!Number.isInteger(failureThreshold) || failureThreshold < 1)) {
    throw new Error(`circuit breaker: failureThreshold must be an integer of at least 1, got ${String(failureThreshold)}`);
  }
  for (const [key, value] of [['windowMs', windowMs], ['cooldownMs', cooldownMs]] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new Error(`circuit breaker: ${key} must be a positive number of milliseconds, got ${String(value)}`);
    }
  }
}
