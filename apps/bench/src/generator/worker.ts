import type { CheckpointLabel, RunHooks } from './jobs';
import type { FromGenerator, ToGenerator } from './ipc-messages';
import { runJob } from './run-job';

/**
 * The load generator process: runs one job at a time on request of the orchestrator (over the IPC
 * channel) and answers with its result. Started pinned to its own core; exits when the channel
 * closes, so an orchestrator that dies never leaves it behind.
 */
function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error('the generator must be started by the bench orchestrator (it needs an IPC channel)');
    process.exit(2);
  }
  const post = (message: FromGenerator): void => void send(message);
  let checkpointSeq = 0;
  const waiting = new Map<number, () => void>();
  const hooks: RunHooks = {
    checkpoint: (label: CheckpointLabel) =>
      new Promise<void>((resolve) => {
        const seq = ++checkpointSeq;
        waiting.set(seq, resolve);
        post({ type: 'checkpoint', seq, label });
      }),
  };
  process.on('message', (message: ToGenerator) => {
    switch (message.type) {
      case 'job':
        runJob(message.job, hooks).then(
          (result) => post({ type: 'result', seq: message.seq, result }),
          (error: unknown) => post({ type: 'failed', seq: message.seq, message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'checkpoint-done':
        waiting.get(message.seq)?.();
        waiting.delete(message.seq);
        return;
      case 'exit':
        process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  post({ type: 'ready' });
}

main();
