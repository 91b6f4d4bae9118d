/**
 * The RxJS operators and scheduler the `tk` command uses, each from its own
 * module, as src/util/rx.ts does for the model layer (read it for why): in
 * Node the `rxjs` index is 223 CommonJS modules, loaded by every `tk` run
 * (`tk --version` too) for these four.
 *
 * @module
 */
export { firstValueFrom } from 'rxjs/internal/firstValueFrom';
export { throttleTime } from 'rxjs/internal/operators/throttleTime';
export { timeout } from 'rxjs/internal/operators/timeout';
export { asyncScheduler } from 'rxjs/internal/scheduler/async';
