/**
 * Access to the sinks of a real scheme, for tests and benchmarks that need to
 * push what a backend would push (a value with a chosen time, an error, a
 * connection state) without a mock standing in for the scheme.
 *
 * @module
 */
import type { AttributeSink, SchemeBackend, SchemePlugin } from '../schemes/contract.js';

/** A scheme plugin whose backend keeps each opened attribute's sink; see {@link tapSinks}. */
export interface SinkTap {
  /** The plugin to register instead of the original one: the same scheme, names and backend. */
  readonly plugin: SchemePlugin;
  /**
   * The sink the manager gave the backend for the attribute `fullName` (its
   * latest one, if it was opened again). Throws when the attribute was not
   * opened through this plugin.
   */
  sink(fullName: string): AttributeSink;
}

/**
 * Wraps `plugin` so that the sink of every attribute its backend opens can be
 * reached: `tap.sink(attribute.fullName).reading({ rvalue: 2, time: 10_000 })`
 * delivers an update as the backend would, through the whole core path.
 *
 * @example
 * ```ts
 * const tap = tapSinks(createLocScheme());
 * const m = createManager({ builtins: false, schemes: [tap.plugin, createEvalScheme()] });
 * const a = m.attribute('loc:/t/a?init=1');
 * a.subscribe(() => {}); // opens it
 * tap.sink(a.fullName).reading({ rvalue: 2, time: 10_000 });
 * ```
 */
export function tapSinks(plugin: SchemePlugin): SinkTap {
  const sinks = new Map<string, AttributeSink>();
  const tapped: SchemePlugin = {
    ...plugin,
    createBackend: (context): SchemeBackend => {
      const backend = plugin.createBackend(context);
      return {
        openAttribute(target, sink) {
          sinks.set(target.fullName, sink);
          return backend.openAttribute(target, sink);
        },
        ...(backend.listChildren && {
          listChildren: (fullName, options) => backend.listChildren!(fullName, options),
        }),
        ...(backend.listChildEntries && {
          listChildEntries: (fullName, options) => backend.listChildEntries!(fullName, options),
        }),
        ...(backend.fragments && { fragments: backend.fragments }),
        ...(backend.describe && { describe: () => backend.describe!() }),
        ...(backend.dispose && { dispose: () => backend.dispose!() }),
      };
    },
  };
  return {
    plugin: tapped,
    sink(fullName) {
      const sink = sinks.get(fullName);
      if (sink === undefined) {
        throw new Error(
          `No sink for ${fullName}: the ${plugin.scheme} backend has not opened it (subscribe to it or read it first; opened: ${[...sinks.keys()].join(', ') || 'none'})`,
        );
      }
      return sink;
    },
  };
}
