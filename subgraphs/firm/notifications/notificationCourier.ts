import type { FirmDb } from '../db/firmDb.js';
import type { GatewayQuery } from '../receipts/gatewayQuery.js';
import { markDelivery, pendingChanges, type PendingChange } from './notificationStore.js';

/** The purpose a firm states when it delivers a notification's change to the other party. */
export const DELIVERY_PURPOSE = 'quality-investigation';

const DELIVER_MUTATION = /* GraphQL */ `
  mutation DeliverQualityNotification($firmId: ID!, $delivery: QualityNotificationDeliveryInput!) {
    deliverQualityNotification(firmId: $firmId, delivery: $delivery) { stored status }
  }
`;

export interface CourierOptions {
  firmId: string;
  db: FirmDb;
  /** The gateway as this firm itself (its service key), asked at each delivery; undefined when the firm has none. */
  asFirm: () => GatewayQuery | undefined;
  /** How often pending changes are retried (default 5000 ms); the backoff of one change never exceeds it. */
  retryMs?: number;
  log?: (error: unknown) => void;
}

/** Changes delivered per run at most (the rest on the next). */
const BATCH = 100;

/**
 * Delivers the changes made here to the other party of each notification, firm to firm through
 * the gateway, until the other party has stored them: now (`kick()` after a commit) and again
 * every `retryMs` for what failed (idle, it asks the database nothing). A change is marked delivered only once the other party
 * answered `stored`; the other party stores each change once (by its id), so a delivery that
 * is retried after a lost answer is not stored twice. The changes of one notification go in
 * order: a failed one holds back the later ones until it is through.
 * @example const courier = new NotificationCourier({ firmId, db, asFirm }); courier.start(); ... courier.stop();
 */
export class NotificationCourier {
  private running: Promise<number> | undefined;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Whether the last run left changes undelivered: only then does the timer ask the database again. */
  private retryNeeded = true;

  constructor(private readonly options: CourierOptions) {}

  start(): void {
    // Idle, the courier makes no SQL statement: the timer retries only what a run left undelivered.
    this.timer ??= setInterval(() => {
      if (this.retryNeeded) this.kick();
    }, this.options.retryMs ?? 5000);
    this.timer.unref();
    this.kick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Delivers what is pending as soon as possible (one run at a time; a kick during a run runs again after it). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverPending()
      .catch((error: unknown) => {
        this.options.log?.(error);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** True while a run is in progress. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Waits for the run in progress, if any (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** One run: every pending change, oldest first; returns how many were delivered. */
  async deliverPending(): Promise<number> {
    const pending = await pendingChanges(this.options.db, BATCH);
    const ask = this.options.asFirm();
    if (pending.length === 0 || !ask) {
      // Nothing to deliver; or no gateway to deliver through yet (the timer tries again).
      this.retryNeeded = pending.length > 0;
      return 0;
    }
    const blocked = new Set<string>();
    let delivered = 0;
    for (const change of pending) {
      if (blocked.has(change.notificationId)) continue;
      const ok = await this.deliver(ask, change);
      if (ok) delivered++;
      else blocked.add(change.notificationId);
    }
    this.retryNeeded = blocked.size > 0 || pending.length === BATCH;
    return delivered;
  }

  private async deliver(ask: GatewayQuery, change: PendingChange): Promise<boolean> {
    const n = change.notification;
    const other = n.side === 'OUTBOX' ? n.receiverId : n.senderId;
    const delivery = {
      notificationId: n.notificationId,
      kind: n.kind,
      senderId: n.senderId,
      receiverId: n.receiverId,
      title: n.title,
      description: n.description,
      severity: n.severity,
      targetDate: n.targetDate,
      lots: change.lots,
      createdAt: n.createdAt.toISOString(),
      eventId: change.eventId,
      at: change.at.toISOString(),
      type: change.type,
      fromStatus: change.fromStatus,
      toStatus: change.toStatus,
      reason: change.reason,
      hops: change.hops,
      subjectFirm: change.subjectFirm,
      discloseTo: change.discloseTo,
    };
    let error: string;
    try {
      const answer = await ask(DELIVER_MUTATION, { firmId: other, delivery });
      const data = answer.data as { deliverQualityNotification?: { stored?: unknown } | null } | undefined;
      if (data?.deliverQualityNotification?.stored === true) {
        await markDelivery(this.options.db, change.eventId, { deliveredAt: new Date() });
        return true;
      }
      const first = answer.errors?.[0];
      error = `${String(first?.extensions?.code ?? 'NO_ANSWER')}: ${String(first?.message ?? 'no receipt')}`;
    } catch (e) {
      error = `GATEWAY_UNAVAILABLE: ${e instanceof Error ? e.message : String(e)}`;
    }
    const retryMs = this.options.retryMs ?? 5000;
    await markDelivery(this.options.db, change.eventId, { error, nextAttemptAt: new Date(Date.now() + retryMs) });
    return false;
  }
}
