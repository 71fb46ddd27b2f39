/**
 * Stops a command's servers on SIGINT or SIGTERM, in the order given, then exits 0; a step
 * that fails is reported and the others still run (exit 1 then), so a database is closed even
 * when a server would not stop cleanly.
 * @example stopOnSignal(() => directory.stop(), () => server.close(), () => database.close());
 */
export function stopOnSignal(...steps: (() => unknown)[]): void {
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    let failed = false;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failed = true;
        console.error(`while stopping: ${(error as Error).message}`);
      }
    }
    process.exit(failed ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
