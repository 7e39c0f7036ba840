import { MULTI_PUSH_MAX_PUSHES, MULTI_PUSH_MAX_UIDS, decodeMultiPushReply, encodeMultiPush, type BatchPush } from './batch-push';

/** Sends one encoded multi push to a frontend and resolves with its reply. */
export type MultiPushSend = (serverId: string, body: Uint8Array) => Promise<Uint8Array>;

interface Entry {
  readonly push: BatchPush;
  readonly resolve: (failed: readonly string[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces the batched pushes a backend sends to each frontend within one turn of its event loop
 * into one `sys.pushusersmulti` call per frontend (split at {@link MULTI_PUSH_MAX_PUSHES} pushes or
 * {@link MULTI_PUSH_MAX_UIDS} uids). The broadcasts of a busy room start in the same turn (their
 * notifies arrive together), and each was one RPC per frontend: on the frontend, the gRPC and HTTP/2
 * work per call was as much as delivering a few hundred pushes. Pushes keep their order within a
 * frontend's call, and a call's failure fails each of its pushes as its own call's would have.
 *
 * The queue holds only what was pushed since the last check phase (one `setImmediate` per turn
 * while anything waits); each push's promise settles with its own part of the reply.
 */
export class MultiPushQueue {
  private readonly pending = new Map<string, Entry[]>();
  private scheduled = false;

  constructor(private readonly send: MultiPushSend) {}

  /** Queues a push for `serverId`'s next call; resolves with the uids that frontend did not deliver. */
  push(serverId: string, push: BatchPush): Promise<readonly string[]> {
    return new Promise((resolve, reject) => {
      let entries = this.pending.get(serverId);
      if (entries === undefined) this.pending.set(serverId, (entries = []));
      entries.push({ push, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    for (const [serverId, entries] of this.pending) {
      let start = 0;
      while (start < entries.length) {
        let end = start;
        let uids = 0;
        while (end < entries.length && end - start < MULTI_PUSH_MAX_PUSHES && (end === start || uids + entries[end]!.push.uids.length <= MULTI_PUSH_MAX_UIDS)) {
          uids += entries[end]!.push.uids.length;
          end++;
        }
        void this.call(serverId, start === 0 && end === entries.length ? entries : entries.slice(start, end));
        start = end;
      }
    }
    this.pending.clear();
  };

  private async call(serverId: string, entries: readonly Entry[]): Promise<void> {
    try {
      const body = encodeMultiPush(entries.map((e) => e.push));
      const failed = decodeMultiPushReply(await this.send(serverId, body), entries.length);
      for (let i = 0; i < entries.length; i++) entries[i]!.resolve(failed[i]!);
    } catch (error) {
      for (const entry of entries) entry.reject(error);
    }
  }
}
