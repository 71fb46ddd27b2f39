/** One request of a {@link runLoad} run. */
export interface LoadSample<T> {
  worker: number;
  startedAt: number;
  endedAt: number;
  result: T;
}

/**
 * A closed-loop load driver: `concurrency` workers each send a request, wait for its answer
 * and send the next, until `durationMs` has passed. Every answer is kept (unlike autocannon,
 * which counts responses but does not hand back their bodies).
 * @example const samples = await runLoad({ concurrency: 8, durationMs: 5000, request: (w) => postGraphQL(url, query, { token }) });
 */
export async function runLoad<T>(options: { concurrency: number; durationMs: number; request(worker: number, iteration: number): Promise<T> }): Promise<LoadSample<T>[]> {
  const samples: LoadSample<T>[] = [];
  const until = Date.now() + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < until; i++) {
        const startedAt = Date.now();
        const result = await options.request(worker, i);
        samples.push({ worker, startedAt, endedAt: Date.now(), result });
      }
    }),
  );
  return samples;
}
