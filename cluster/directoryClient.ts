import type { KeyObject } from 'node:crypto';
import { directoryAudience, signDirectoryReaderToken, type DirectoryReader } from '../identity/directoryReaderToken.js';
import { keyId } from '../identity/keyId.js';
import { CLOCK_TOLERANCE_SECONDS } from '../identity/verifyEs256.js';
import type { Directory } from './directory.js';
import { DIRECTORY_MEDIA_TYPE, pinnedOperatorKeys, readDirectoryDocument, type DirectoryRefusalReason } from './directoryDocument.js';

export interface DirectoryClientOptions {
  /** The registry's base URL, e.g. http://127.0.0.1:4001 (the directory is at `/directory`). */
  registryUrl: string;
  /**
   * The cluster operator's public keys (PEM) this reader pins: one, or two during a rotation.
   * A directory not signed by one of them is refused, whoever answers for the registry's URL.
   */
  operatorPublicKeys: readonly string[];
  /** Who reads: the registry serves the directory to its members and gateways only. */
  reader: DirectoryReader;
  /** How often to refresh, default 10 s. 0 disables polling (call `refresh()` yourself). */
  refreshMs?: number;
  /** Called after each successful refresh that changed the directory. */
  onChange?: (directory: Directory) => void;
  /** Called when a refresh fails; the last good directory stays in use. */
  onError?: (error: Error) => void;
  /** Where a refused document is reported (one line; at most once a minute per reason). Default console.error. */
  log?: (line: string) => void;
  /** The clock (tests). Default `() => new Date()`. */
  clock?: () => Date;
}

/** A document the reader refused: unsigned, wrongly signed, expired, a rollback... */
export class DirectoryRefusedError extends Error {
  override readonly name = 'DirectoryRefusedError';
  constructor(
    readonly reason: DirectoryRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** The registry refused this reader (401/403): not listed in the directory, or a bad reader token. */
export class DirectoryAccessError extends Error {
  override readonly name = 'DirectoryAccessError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Keeps the registry's directory (members, endpoints, trust list, relationships) fresh. It
 * asks as a member or gateway (a reader token of its own key) and accepts only a document
 * signed by a pinned operator key, unexpired and not older than the one it holds; anything
 * else is refused, counted (`refusals`) and logged, and the last good copy stays in use, as
 * it does while the registry is unreachable.
 * @example const d = new DirectoryClient({ registryUrl, operatorPublicKeys: [pem], reader }); await d.start(); d.current()?.members
 */
export class DirectoryClient {
  #directory: Directory | undefined;
  #json = '';
  #last: { text: string; iat: number; exp: number; clusterId: string } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #refusals = 0;
  #logged = new Map<DirectoryRefusalReason, number>();
  readonly #pinned: KeyObject[];
  readonly #audiences: string[];
  readonly #clock: () => Date;

  /** Throws when the pinned keys are not one or two ES256 public keys. */
  constructor(private readonly options: DirectoryClientOptions) {
    this.#pinned = pinnedOperatorKeys(options.operatorPublicKeys);
    this.#audiences = this.#pinned.map((key) => directoryAudience(keyId(key)));
    this.#clock = options.clock ?? (() => new Date());
  }

  /** The directory last accepted, or undefined before the first success. */
  current(): Directory | undefined {
    return this.#directory;
  }

  /** How many documents were refused since start (`dataspace_directory_refused_total`). */
  get refusals(): number {
    return this.#refusals;
  }

  /**
   * Fetches the directory now. A document that does not verify or validate is refused with a
   * {@link DirectoryRefusedError} (the last good one stays); a refusal of this reader by the
   * registry is a {@link DirectoryAccessError}.
   */
  async refresh(): Promise<Directory> {
    const now = this.#clock();
    const token = signDirectoryReaderToken(this.options.reader, this.#audiences, { now });
    const res = await fetch(new URL('/directory', this.options.registryUrl), {
      headers: { authorization: `Bearer ${token}`, accept: DIRECTORY_MEDIA_TYPE },
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status === 401 || res.status === 403) {
      const code = await errorCode(res);
      throw new DirectoryAccessError(
        code,
        `registry ${this.options.registryUrl} refuses ${this.options.reader.kind} ${this.options.reader.id} (${res.status} ${code}): ${this.options.reader.kind === 'firm' ? "its service key must be listed in the registry's directory (serviceKeys, not a user-token key)" : "its public key must be listed in the registry's directory"}`,
      );
    }
    if (!res.ok) throw new Error(`registry ${this.options.registryUrl} answered ${res.status} for /directory`);
    const text = await res.text();
    const last = this.#last;
    if (last && text === last.text && this.#directory) {
      // The same document again: still good only while it has not expired (a frozen replay would hide every change).
      if (now.getTime() / 1000 < last.exp + CLOCK_TOLERANCE_SECONDS) return this.#directory;
      this.#refuse('expired', 'the registry serves the same document past its expiry', now);
    }
    const read = readDirectoryDocument(text, this.#pinned, {
      now,
      ...(last ? { lastIssuedAt: last.iat, clusterId: last.clusterId } : {}),
    });
    if (!read.ok) this.#refuse(read.reason, read.message, now);
    const { directory, iat, exp } = read.document;
    this.#last = { text, iat, exp, clusterId: directory.clusterId };
    // Re-signed with the same content (every half-lifetime): keep the object, and with it the
    // trust list and the verified-token caches built on it.
    const json = JSON.stringify(directory);
    if (this.#directory && json === this.#json) return this.#directory;
    this.#directory = directory;
    this.#json = json;
    this.options.onChange?.(directory);
    return directory;
  }

  /**
   * Starts polling, and waits for a first directory (retrying for up to `waitMs` while the
   * registry is not up). Polling goes on even when the wait gives up. A registry that refuses
   * this reader ends the wait at once with its {@link DirectoryAccessError}: it will not list
   * the reader within a retry, but polling picks the directory up once the operator does.
   */
  async start(waitMs = 10_000): Promise<void> {
    // Poll from the start: a registry that is down longer than `waitMs` is picked up later.
    const every = this.options.refreshMs ?? 10_000;
    if (every > 0 && !this.#timer) {
      this.#timer = setInterval(() => {
        this.refresh().catch((err: unknown) => this.options.onError?.(err as Error));
      }, every);
      this.#timer.unref();
    }
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await this.refresh();
        return;
      } catch (err) {
        if (err instanceof DirectoryAccessError) throw err;
        if (Date.now() > deadline) throw new Error(`cannot read the directory from registry ${this.options.registryUrl}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #refuse(reason: DirectoryRefusalReason, message: string, now: Date): never {
    this.#refusals += 1;
    const loggedAt = this.#logged.get(reason);
    if (loggedAt === undefined || now.getTime() - loggedAt >= 60_000) {
      this.#logged.set(reason, now.getTime());
      const line = `directory: refused the document of registry ${this.options.registryUrl} (${reason}: ${message}); the last good directory stays in use`;
      (this.options.log ?? ((l: string) => console.error(l)))(line);
    }
    throw new DirectoryRefusedError(reason, `refused the directory of registry ${this.options.registryUrl}: ${message}`);
  }
}

async function errorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : 'UNAUTHENTICATED';
  } catch {
    return 'UNAUTHENTICATED';
  }
}
