import type { Context } from '../context/context';
import type { Type } from '../container/types';
import type { GuardOptions, ParamSource } from '../decorators/guard.decorators';
import { BootstrapError } from '../errors/bootstrap-error';
import { PitayaError } from '../errors/pitaya-error';
import { invokePlain, isPromiseLike, type RouteReply } from './route-invoker';
import type { RouteEntry } from './route-table';

/** A guard: decides, from the context alone, whether a route may run. */
export interface CanActivate {
  canActivate(ctx: Context): boolean | Promise<boolean>;
}

/** An exception filter: returns (or throws) the error to answer instead of `error`. */
export interface ExceptionFilter<E = unknown> {
  catch(error: E, ctx: Context): unknown;
}

/** A guard instance with its refusal. */
export interface ResolvedGuard {
  readonly instance: CanActivate;
  readonly options: GuardOptions;
}

/** A filter instance with the error classes it handles (empty: all). */
export interface ResolvedFilter {
  readonly instance: ExceptionFilter;
  readonly handles: readonly Type[];
}

type Invoke = (entry: RouteEntry, ctx: Context, payload: Uint8Array) => RouteReply | Promise<RouteReply>;

/**
 * Wraps a route's invocation with its guards (before the body is decoded) and exception filters,
 * composed once at start-up. A route with neither gets no wrapper at all.
 */
export function buildEnhancer(guards: readonly ResolvedGuard[], filters: readonly ResolvedFilter[]): Invoke | undefined {
  let invoke: Invoke = invokePlain;
  if (guards.length > 0) invoke = guarded(guards, invoke);
  if (filters.length > 0) invoke = filtered(filters, invoke);
  return invoke === invokePlain ? undefined : invoke;
}

function refusal(guard: ResolvedGuard): PitayaError {
  return new PitayaError(guard.options.code ?? 'PIT-403', guard.options.message ?? 'forbidden');
}

function guarded(guards: readonly ResolvedGuard[], next: Invoke): Invoke {
  const runFrom = async (index: number, first: Promise<boolean>, entry: RouteEntry, ctx: Context, payload: Uint8Array): Promise<RouteReply> => {
    if (!(await first)) throw refusal(guards[index]!);
    for (let i = index + 1; i < guards.length; i++) {
      if (!(await guards[i]!.instance.canActivate(ctx))) throw refusal(guards[i]!);
    }
    return next(entry, ctx, payload);
  };
  return (entry, ctx, payload) => {
    // Synchronous guards keep the route synchronous: no promise is allocated unless a guard returns one.
    for (let i = 0; i < guards.length; i++) {
      const verdict = guards[i]!.instance.canActivate(ctx);
      if (verdict === true) continue;
      if (verdict === false) throw refusal(guards[i]!);
      if (isPromiseLike<boolean>(verdict)) return runFrom(i, Promise.resolve(verdict), entry, ctx, payload);
      throw refusal(guards[i]!);
    }
    return next(entry, ctx, payload);
  };
}

function filtered(filters: readonly ResolvedFilter[], next: Invoke): Invoke {
  const handle = (error: unknown, ctx: Context): never | Promise<never> => {
    for (const filter of filters) {
      if (filter.handles.length > 0 && !filter.handles.some((cls) => error instanceof cls)) continue;
      const mapped = filter.instance.catch(error, ctx);
      if (isPromiseLike(mapped)) return Promise.resolve(mapped).then((value) => { throw value; });
      throw mapped;
    }
    throw error;
  };
  return (entry, ctx, payload) => {
    let result: RouteReply | Promise<RouteReply>;
    try {
      result = next(entry, ctx, payload);
    } catch (error) {
      return handle(error, ctx);
    }
    return isPromiseLike<RouteReply>(result) ? Promise.resolve(result).catch((error: unknown) => handle(error, ctx)) : result;
  };
}

/** A route method's parameters as its decorators declare them, in order. */
export type ParamPlan = readonly ParamSource[];

type Getter = (ctx: Context, body: unknown) => unknown;
const GETTERS: Record<ParamSource, Getter> = {
  body: (_ctx, body) => body,
  session: (ctx) => ctx.session,
  uid: (ctx) => ctx.session.uid,
  context: (ctx) => ctx,
};

/** Turns `@Body() @Session() @Uid() @Ctx()` declarations into the parameter order, checking every parameter is decorated. */
export function paramPlan(declared: readonly { index: number; source: ParamSource }[], arity: number, owner: string): ParamPlan {
  const plan: ParamSource[] = [];
  const count = Math.max(arity, ...declared.map((d) => d.index + 1));
  for (let i = 0; i < count; i++) {
    const found = declared.filter((d) => d.index === i);
    if (found.length !== 1) {
      throw new BootstrapError('INVALID_PARAMETER', `${owner}: parameter #${i} ${found.length === 0 ? 'has no @Body(), @Session(), @Uid() or @Ctx()' : 'has two parameter decorators'}; decorate every parameter or none`);
    }
    plan.push(found[0]!.source);
  }
  return plan;
}

/**
 * Builds `(ctx, body) => method(...)` for a decorated parameter list, once: the getters are chosen
 * at start-up, and up to four parameters are passed without allocating an argument array.
 */
export function bindParams(fn: (...args: unknown[]) => unknown, instance: object, plan: ParamPlan): (ctx: Context, body: unknown) => unknown {
  const g = plan.map((source) => GETTERS[source]);
  switch (g.length) {
    case 0: return () => fn.call(instance);
    case 1: { const [a] = g as [Getter]; return (ctx, body) => fn.call(instance, a(ctx, body)); }
    case 2: { const [a, b] = g as [Getter, Getter]; return (ctx, body) => fn.call(instance, a(ctx, body), b(ctx, body)); }
    case 3: { const [a, b, c] = g as [Getter, Getter, Getter]; return (ctx, body) => fn.call(instance, a(ctx, body), b(ctx, body), c(ctx, body)); }
    case 4: {
      const [a, b, c, d] = g as [Getter, Getter, Getter, Getter];
      return (ctx, body) => fn.call(instance, a(ctx, body), b(ctx, body), c(ctx, body), d(ctx, body));
    }
    default: return (ctx, body) => fn.apply(instance, g.map((get) => get(ctx, body)));
  }
}
