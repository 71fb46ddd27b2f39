import { TrustList } from '../identity/trustList.js';
import type { Directory } from './directory.js';
import { parseDirectory } from './directorySchema.js';

export interface DirectoryClientOptions {
  /** The registry's base URL, e.g. http://127.0.0.1:4001 (the directory is at `/directory`). */
  registryUrl: string;
  /** How often to refresh, default 10 s. 0 disables polling (call `refresh()` yourself). */
  refreshMs?: number;
  /** Called after each successful refresh that changed the directory. */
  onChange?: (directory: Directory) => void;
  /** Called when a refresh fails; the last good directory stays in use. */
  onError?: (error: Error) => void;
}

/**
 * Keeps the registry's directory (members, endpoints, trust list, relationships) fresh.
 * The last good copy stays in use while the registry is unreachable.
 * @example const d = new DirectoryClient({ registryUrl }); await d.start(); d.current()?.members
 */
export class DirectoryClient {
  private directory: Directory | undefined;
  private text = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DirectoryClientOptions) {}

  /** The directory last fetched, or undefined before the first success. */
  current(): Directory | undefined {
    return this.directory;
  }

  /** Fetches the directory now; a directory that does not validate is refused (the last good one stays). */
  async refresh(): Promise<Directory> {
    const res = await fetch(new URL('/directory', this.options.registryUrl), { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`registry ${this.options.registryUrl} answered ${res.status} for /directory`);
    const text = await res.text();
    if (text !== this.text) {
      const directory = parseDirectory(JSON.parse(text));
      // A directory whose trust list does not build (a malformed key) is refused whole:
      // the last good one stays in force.
      TrustList.of(directory);
      this.directory = directory;
      this.text = text;
      this.options.onChange?.(this.directory);
    }
    return this.directory as Directory;
  }

  /**
   * Starts polling, and waits for a first directory (retrying for up to `waitMs` while the
   * registry is not up). Polling goes on even when the wait gives up.
   */
  async start(waitMs = 10_000): Promise<void> {
    // Poll from the start: a registry that is down longer than `waitMs` is picked up later.
    const every = this.options.refreshMs ?? 10_000;
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => {
        this.refresh().catch((err: unknown) => this.options.onError?.(err as Error));
      }, every);
      this.timer.unref();
    }
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await this.refresh();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`cannot read the directory from registry ${this.options.registryUrl}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
