/**
 * The parts of RxJS the gateway link (tk-core/remote) uses at run time,
 * from their own modules as in ./rx.ts (read it for why): apart from
 * `Observable`, so that entries without the link do not load them.
 *
 * @module
 */
export { BehaviorSubject } from 'rxjs/internal/BehaviorSubject';
export { firstValueFrom } from 'rxjs/internal/firstValueFrom';
export { filter } from 'rxjs/internal/operators/filter';
