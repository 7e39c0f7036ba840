/**
 * Runs `task` on every item with at most `limit` running at once, and resolves when all settled
 * (a rejecting task does not stop the others; the first rejection is rethrown at the end). Cluster
 * fan-out goes through it so one broadcast to a large room cannot open thousands of calls at once.
 */
export async function mapBounded<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  if (items.length === 0) return;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = Math.min(Math.max(1, limit), items.length); i > 0; i--) workers.push(worker());
  await Promise.all(workers);
  if (failure) throw failure.error;
}
