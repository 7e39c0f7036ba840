/**
 * Every reflect-metadata key the framework writes, spelled once. Decorators write them and the
 * scanners in `container/` and `dispatch/` read them; nothing else touches `Reflect`.
 */
export const MetaKey = {
  /** {@link ModuleMetadata} on a `@Module` class. */
  Module: 'pitaya:module',
  /** {@link ServiceOptions} on a `@Handler` class. */
  Handler: 'pitaya:handler',
  /** {@link ServiceOptions} on a `@Remote` class. */
  Remote: 'pitaya:remote',
  /** {@link PipelineOptions} on a `@Pipeline` class. */
  Pipeline: 'pitaya:pipeline',
  /** {@link RouteOptions} on a method. */
  Route: 'pitaya:route',
  /** Pipeline classes applied with `@UsePipelines`, on a class or a method. */
  UsePipelines: 'pitaya:use-pipelines',
  /** `true` on a `@Global()` module class. */
  Global: 'pitaya:global',
  /** {@link GuardOptions} on a `@Guard` class. */
  Guard: 'pitaya:guard',
  /** Guard classes applied with `@UseGuards`, on a class or a method. */
  UseGuards: 'pitaya:use-guards',
  /** Error classes a `@Catch` filter handles (empty: every error). */
  Catch: 'pitaya:catch',
  /** Filter classes applied with `@UseFilters`, on a class or a method. */
  UseFilters: 'pitaya:use-filters',
  /** {@link ParamSource} list of a route method's parameters (`@Body()`, `@Session()`, `@Uid()`). */
  Params: 'pitaya:params',
} as const;
