import type { ServerResponse } from 'node:http';

/** A few counters served as Prometheus text at `GET /metrics`. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();

  constructor(private readonly labels: Record<string, string>) {}

  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counters.get(name) ?? this.gauges.get(name)?.() ?? 0;
  }

  /** A value read when scraped (e.g. the database's statement count). */
  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read);
  }

  text(): string {
    const labels = Object.entries(this.labels).map(([k, v]) => `${k}="${v}"`).join(',');
    const lines: string[] = [];
    for (const [name, value] of this.counters) lines.push(`${name}{${labels}} ${value}`);
    for (const [name, read] of this.gauges) lines.push(`${name}{${labels}} ${read()}`);
    return `${lines.join('\n')}\n`;
  }

  serve(_req: unknown, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(this.text());
  }
}
