/**
 * The backend of the `loc` scheme: one in-process point store per manager,
 * its points opened as push-mode sources (source.ts).
 *
 * @module
 */
import type {
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  SchemeBackend,
  SchemeChild,
  SchemeContext,
} from '../contract.js';
import { parseDeclaration } from './declaration.js';
import { LOC_DEFAULT_AUTHORITY } from './names/validators.js';
import { LocPointStore } from './point-store.js';
import { LocSource } from './source.js';

/** Creates the loc backend of one manager. */
export function createLocBackend(context: SchemeContext): SchemeBackend {
  const store = new LocPointStore(context.clock);
  const devices = new Map<string, Set<string>>();

  // a name can be both an attribute of this device and a device of its own (loc:/a/b and loc:/a/b/c)
  function childEntries(fullName: string): SchemeChild[] {
    const prefix = fullName.endsWith('/') ? fullName : `${fullName}/`;
    const out = new Map<string, { container: boolean; attribute: boolean }>();
    const mark = (name: string, kind: 'container' | 'attribute') => {
      let e = out.get(name);
      if (e === undefined) out.set(name, (e = { container: false, attribute: false }));
      e[kind] = true;
    };
    for (const [dev, attrs] of devices) {
      if (dev === fullName) for (const a of attrs) mark(a, 'attribute');
      else if (dev.startsWith(prefix))
        mark(`${prefix}${dev.slice(prefix.length).split('/')[0]}`, 'container');
    }
    return [...out.keys()].sort().map((name) => ({ fullName: name, ...out.get(name)! }));
  }

  return {
    openAttribute(target: AttributeTarget, sink: AttributeSink): AttributeSource {
      const g = target.groups;
      const authority = g.authority ?? LOC_DEFAULT_AUTHORITY;
      const key = `${authority}${g.devname}/${g.attrname}`;
      const point = store.open(key, parseDeclaration(g.query), target.fullName);
      const deviceName = `loc:${authority}${g.devname}`;
      let children = devices.get(deviceName);
      if (children === undefined) devices.set(deviceName, (children = new Set()));
      children.add(`loc:${key}`);
      return new LocSource(point, store, sink, target.simpleName, target.fullName, context);
    },
    async listChildren(fullName) {
      return childEntries(fullName).map((c) => c.fullName);
    },
    async listChildEntries(fullName) {
      return childEntries(fullName);
    },
    describe: () => store.describe(),
  };
}
