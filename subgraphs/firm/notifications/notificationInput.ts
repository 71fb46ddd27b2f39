import { NOTIFICATION_KINDS, NOTIFICATION_SEVERITIES, type NotificationKind, type NotificationSeverity } from './notificationStatus.js';

/** A new quality notification as its sender writes it (`QualityNotificationInput`). */
export interface NotificationDraft {
  kind: NotificationKind;
  receiverId: string;
  title: string;
  description: string;
  severity: NotificationSeverity;
  /** A calendar date (YYYY-MM-DD) by which an answer is wanted. */
  targetDate: string | null;
  lots: { firmId: string; lotId: string }[];
}

/** One refusal of a draft: the input key (`input.title`) and what is wrong. */
export interface DraftProblem {
  key: string;
  problem: string;
}

export const TITLE_MAX = 255;
export const DESCRIPTION_MIN = 15;
export const DESCRIPTION_MAX = 1000;
export const LOTS_MAX = 50;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reads and checks a draft: title 1-255, description 15-1000 characters, a known kind and
 * severity, a valid target date not before `today`, 1-50 distinct lots. Every problem is
 * named by its input key, all at once.
 * @example readDraft({ kind: 'INVESTIGATION', receiverId: 'alumill', title: 'Plate out of tolerance', ... }, '2026-12-04')
 */
export function readDraft(input: Record<string, unknown>, today: string): { draft: NotificationDraft } | { problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const bad = (key: string, problem: string): void => void problems.push({ key: `input.${key}`, problem });
  const kind = str(input.kind);
  if (!kind || !(NOTIFICATION_KINDS as readonly string[]).includes(kind)) bad('kind', `must be one of ${NOTIFICATION_KINDS.join(', ')}`);
  const severity = str(input.severity);
  if (!severity || !(NOTIFICATION_SEVERITIES as readonly string[]).includes(severity)) bad('severity', `must be one of ${NOTIFICATION_SEVERITIES.join(', ')}`);
  const receiverId = str(input.receiverId) ?? '';
  if (receiverId === '') bad('receiverId', 'must name the receiving firm');
  const title = (str(input.title) ?? '').trim();
  if (title.length < 1 || title.length > TITLE_MAX) bad('title', `must be 1 to ${TITLE_MAX} characters (got ${title.length})`);
  const description = (str(input.description) ?? '').trim();
  if (description.length < DESCRIPTION_MIN || description.length > DESCRIPTION_MAX) bad('description', `must be ${DESCRIPTION_MIN} to ${DESCRIPTION_MAX} characters (got ${description.length})`);
  const targetDate = input.targetDate === undefined || input.targetDate === null ? null : str(input.targetDate) ?? '';
  if (targetDate !== null) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(targetDate) && new Date(`${targetDate}T00:00:00Z`).toISOString().slice(0, 10) === targetDate;
    if (!valid) bad('targetDate', `must be a date YYYY-MM-DD, got ${JSON.stringify(targetDate.slice(0, 40))}`);
    else if (targetDate < today) bad('targetDate', `must not be before today (${today})`);
  }
  const list = Array.isArray(input.lots) ? (input.lots as Record<string, unknown>[]) : [];
  const lots = new Map<string, { firmId: string; lotId: string }>();
  list.forEach((l, i) => {
    const firmId = str(l?.firmId) ?? '';
    const lotId = str(l?.lotId) ?? '';
    if (firmId === '' || lotId === '') bad(`lots[${i}]`, 'must name a firm and a lot');
    else lots.set(`${firmId}\u0000${lotId}`, { firmId, lotId });
  });
  if (lots.size < 1 || lots.size > LOTS_MAX) bad('lots', `must name 1 to ${LOTS_MAX} distinct lots (got ${lots.size})`);
  if (problems.length > 0) return { problems };
  return {
    draft: { kind: kind as NotificationKind, receiverId, title, description, severity: severity as NotificationSeverity, targetDate, lots: [...lots.values()] },
  };
}
