// The layers of tk-core, lowest first: a module may import from its own layer
// and the layers before it, never from a layer after it. This list is the one
// docs/concepts.md draws; `npm run lint` runs the check (`npm run deps`), and
// test/core/layers.test.ts shows it refuses an import that runs upwards.
/** @type {{ name: string, path: string, holds: string }[]} */
const layers = [
  {
    name: 'base',
    path: '^src/(errors|util|log|units|types)/',
    holds: 'errors, clocks and listeners, logging, quantities',
  },
  {
    name: 'names',
    path: '^src/validators/',
    holds: 'name validators: regex pieces, the three names, element types (pure)',
  },
  {
    name: 'core',
    path: '^src/core/',
    holds: 'the vocabulary: qualities, data types, readings, attribute configuration, fragment view, name resolver',
  },
  {
    name: 'contract',
    path: '^src/schemes/contract\\.ts$',
    holds: 'what a scheme plugin supplies (validators, backend, sources, sink), in the words of the core',
  },
  {
    name: 'model services',
    path: '^src/(model|lifetime|polling)/',
    holds: 'what a manager gives its models: lifetimes, the model cache, polling timers, the container model',
  },
  {
    name: 'models',
    path: '^src/(attribute|device|authority|fragments)/',
    holds: 'attributes, devices, authorities, fragments',
  },
  {
    name: 'manager',
    path: '^src/manager/',
    holds: 'the manager: scheme registry, factory, snapshot',
  },
  {
    name: 'store',
    path: '^src/oldb(-store)?/',
    holds: 'the OLDB store (Redis, embedded), a library of its own used by the cii.oldb scheme',
  },
  {
    name: 'schemes',
    path: '^src/(schemes/(?!contract\\.ts$)|builtins\\.ts$|default-manager\\.ts$)',
    holds: 'the scheme plugins (eval, cii.oldb, loc, res) and the default manager built with them',
  },
  {
    name: 'tools',
    path: '^src/(protocol|diagnostics|testing|node|remote|gateway|ui|cli|demo|eval)/|^src/index\\.ts$',
    holds: 'the wire protocol, diagnostics, test helpers, the browser link and gateway, ui, the tk command, the demo, the entries (tk-core, tk-core/eval)',
  },
];

module.exports = {

  forbidden: [
    ...layers.slice(0, -1).map((layer, i) => ({
      name: `${layer.name}-imports-upwards`,
      comment: `${layer.name} (${layer.holds}) may import only from: ${layers
        .slice(0, i + 1)
        .map((l) => l.name)
        .join(', ')}`,
      severity: 'error',
      from: { path: layer.path },
      to: { path: layers.slice(i + 1).map((l) => l.path) },
    })),
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/types/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
