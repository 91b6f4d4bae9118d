/**
 * What every session of a gateway shares: the manager, the rules, the
 * bounds, the hubs, the counters, the logger and the audit.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Manager } from '../manager/manager.js';
import type { Clock } from '../util/clock.js';
import type { AccessControl, AccessRefusal } from './access.js';
import type { Identity } from './auth.js';
import type { HubRegistry } from './hub.js';
import type { AuditRecord, GatewayLimits } from './options.js';
import type { GatewayCounters } from './stats.js';

/** The shared state of one gateway. */
export class GatewayContext {
  readonly manager: Manager;
  readonly access: AccessControl;
  readonly limits: GatewayLimits;
  readonly clock: Clock;
  readonly counters: GatewayCounters;
  readonly hubs: HubRegistry;
  readonly log: Logger;
  readonly audit: (record: AuditRecord) => void;
  readonly serverName: string;

  constructor(init: {
    manager: Manager;
    access: AccessControl;
    limits: GatewayLimits;
    clock: Clock;
    counters: GatewayCounters;
    hubs: HubRegistry;
    log: Logger;
    audit: (record: AuditRecord) => void;
    serverName: string;
  }) {
    this.manager = init.manager;
    this.access = init.access;
    this.limits = init.limits;
    this.clock = init.clock;
    this.counters = init.counters;
    this.hubs = init.hubs;
    this.log = init.log;
    this.audit = init.audit;
    this.serverName = init.serverName;
  }

  /** Throws FORBIDDEN unless `who` may read `fullName` (and what its expression reads). */
  checkRead(fullName: string, scheme: string, who: Identity): void {
    const r = this.access.refuseRead(fullName, scheme, who.roles);
    if (r !== null) throw forbidden('read', fullName, r, who);
  }

  /** Throws FORBIDDEN unless `who` may write `fullName`. */
  checkWrite(fullName: string, scheme: string, who: Identity): void {
    const r = this.access.refuseWrite(fullName, scheme, who.roles);
    if (r !== null) throw forbidden('write', fullName, r, who);
  }

  /** An unexpected failure: logged here with its stack, answered as INTERNAL without it. */
  internal(err: unknown, doing: string): TkError {
    const e = err instanceof Error ? err : new Error(String(err));
    this.log.error(`unexpected failure ${doing}: ${e.stack ?? e.message}`);
    return new TkError('INTERNAL', `The gateway failed ${doing}: ${e.message}`);
  }
}

function forbidden(what: 'read' | 'write', fullName: string, r: AccessRefusal, who: Identity): TkError {
  const through = r.name === fullName ? '' : ` (its expression reads ${r.name})`;
  const why = r.rule < 0 ? 'no access rule allows it' : `access rule ${r.rule} denies it`;
  const roles =
    who.roles.length === 0 ? 'no role' : `role${who.roles.length === 1 ? '' : 's'} ${who.roles.join(', ')}`;
  return new TkError('FORBIDDEN', `${who.user} (${roles}) may not ${what} ${fullName}${through}: ${why}`, {
    details: { name: fullName, refused: r.name, rule: r.rule, operation: what },
  });
}
