import { Context, GROUPS, Handler, Inject, Injectable, Module, Notify, Route, type Groups, type Type } from '@pitaya-ts/core';

/** Size of the generated application. */
export interface GeneratedAppShape {
  readonly handlers: number;
  /** Routes per handler class (the last one is a notify). */
  readonly methodsPerHandler: number;
  /** Shared services the handlers inject (round robin). */
  readonly services: number;
}

/**
 * Builds, at run time, a module of `handlers` classes with decorators applied exactly as the
 * compiler would apply them (`Reflect.decorate` plus the `design:*` metadata tsc emits), so the
 * bootstrap does the same work as for hand-written classes: scan, metadata, DI graph, routes.
 */
export function generateApp(shape: GeneratedAppShape): Type {
  const services: Type[] = [];
  for (let s = 0; s < shape.services; s++) {
    const Service = class {
      constructor(readonly groups: Groups) {}
    };
    Object.defineProperty(Service, 'name', { value: `GeneratedService${s}` });
    Reflect.defineMetadata('design:paramtypes', [Object], Service);
    Inject(GROUPS)(Service, undefined, 0);
    Reflect.decorate([Injectable()], Service);
    services.push(Service);
  }
  const handlers: Type[] = [];
  for (let h = 0; h < shape.handlers; h++) {
    const service = services[h % services.length]!;
    const HandlerClass = class {
      constructor(readonly dependency: unknown) {}
    };
    Object.defineProperty(HandlerClass, 'name', { value: `GeneratedHandler${h}` });
    Reflect.defineMetadata('design:paramtypes', [service], HandlerClass);
    const prototype = HandlerClass.prototype as unknown as Record<string, unknown>;
    for (let m = 0; m < shape.methodsPerHandler; m++) {
      const name = `method${m}`;
      prototype[name] = function (this: unknown, _ctx: Context, body: unknown): unknown {
        return body;
      };
      Reflect.defineMetadata('design:paramtypes', [Context, Object], prototype, name);
      Reflect.defineMetadata('design:returntype', Object, prototype, name);
      // Routes are opt-in: the last method is a notify, the others requests.
      const route = (m === shape.methodsPerHandler - 1 ? Notify() : Route()) as MethodDecorator;
      Reflect.decorate([route], prototype, name, Object.getOwnPropertyDescriptor(prototype, name)!);
    }
    Reflect.decorate([Handler(`generated${h}`)], HandlerClass);
    handlers.push(HandlerClass);
  }
  const GeneratedModule = class {};
  Object.defineProperty(GeneratedModule, 'name', { value: 'GeneratedModule' });
  Reflect.decorate([Module({ handlers, providers: services })], GeneratedModule);
  return GeneratedModule;
}
