import { runBroadcast } from './broadcast';
import { runEchoClosed } from './echo-closed';
import { runEchoOpen } from './echo-open';
import { runIdleRamp } from './idle-ramp';
import type { Job, JobResult, RunHooks } from './jobs';
import { runNativeBroadcast, runNativeEcho } from './native-load';

/** Runs one job of any kind in this process. */
export function runJob(job: Job, hooks: RunHooks): Promise<JobResult> {
  switch (job.kind) {
    case 'echo-closed':
      return job.nativeBinary ? runNativeEcho(job, job.nativeBinary, hooks) : runEchoClosed(job, hooks);
    case 'echo-open':
      return job.nativeBinary ? runNativeEcho(job, job.nativeBinary, hooks) : runEchoOpen(job, hooks);
    case 'broadcast':
      return job.nativeBinary ? runNativeBroadcast(job, job.nativeBinary, hooks) : runBroadcast(job, hooks);
    case 'idle':
      return runIdleRamp(job, hooks);
  }
}
