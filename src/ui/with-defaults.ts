/**
 * tk-core/ui as Node (and any resolver not asking for the `browser`
 * condition) loads it: the controllers of ./index.ts, with tk-core's default
 * manager and its built-in schemes (`loc`, `eval`, `cii.oldb`, `res`)
 * registered, so a controller given no `manager` uses the default manager as
 * it always has. A browser bundle resolves tk-core/ui to ./index.ts alone:
 * a page that passes its manager (a remote one) then carries none of the
 * built-in schemes.
 *
 * @packageDocumentation
 */
import { createManager } from '../default-manager.js';
import { provideDefaultManagerFactory } from '../manager/default-slot.js';

provideDefaultManagerFactory(() => createManager());

export * from './index.js';
