/** Called on providers, handlers and remotes when the application starts, in module order. */
export interface OnInit {
  onInit(): void | Promise<void>;
}
/** Called after every `onInit`, before acceptors open. */
export interface OnAfterInit {
  onAfterInit(): void | Promise<void>;
}
/** Called at shutdown, in reverse module order, before connections are closed. */
export interface OnBeforeShutdown {
  onBeforeShutdown(): void | Promise<void>;
}
/** Called last at shutdown, in reverse module order. */
export interface OnShutdown {
  onShutdown(): void | Promise<void>;
}

export type LifecycleHook = 'onInit' | 'onAfterInit' | 'onBeforeShutdown' | 'onShutdown';

/** Runs `hook` on every instance that has it, one after another. */
export async function runHook(instances: readonly object[], hook: LifecycleHook): Promise<void> {
  for (const instance of instances) {
    const fn = (instance as Partial<Record<LifecycleHook, () => unknown>>)[hook];
    if (typeof fn === 'function') await fn.call(instance);
  }
}
