import type { CheckpointLabel, Job, JobResult } from './jobs';

/** Orchestrator → generator process. */
export type ToGenerator =
  | { readonly type: 'job'; readonly seq: number; readonly job: Job }
  | { readonly type: 'checkpoint-done'; readonly seq: number }
  | { readonly type: 'exit' };

/** Generator process → orchestrator. */
export type FromGenerator =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly seq: number; readonly result: JobResult }
  | { readonly type: 'failed'; readonly seq: number; readonly message: string }
  | { readonly type: 'checkpoint'; readonly seq: number; readonly label: CheckpointLabel };
