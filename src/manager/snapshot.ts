/**
 * `manager.snapshot()`: the live state of a manager as plain data, the
 * counterpart of a fault handler's dump.
 *
 * @module
 */
import type { AttributeModel } from '../attribute/attribute.js';

/** One live attribute in a snapshot. */
export interface AttributeSnapshot {
  readonly fullName: string;
  readonly subscribers: number;
  readonly open: boolean;
  readonly connection: string;
  readonly quality: string | undefined;
  readonly value: string | undefined;
  readonly error: string | undefined;
  /** What the source says about itself (e.g. expression and inputs). */
  readonly source: Record<string, unknown> | undefined;
}

/** A scheme in a snapshot. */
export interface SchemeSnapshot {
  readonly scheme: string;
  readonly attributes: readonly AttributeSnapshot[];
  readonly devices: readonly string[];
  readonly authorities: readonly string[];
  /** Backend connections and their state, as the backend describes them. */
  readonly backend: Record<string, unknown> | undefined;
}

/** The live state of a manager. */
export interface ManagerSnapshot {
  /** Clock time of the snapshot. */
  readonly time: number;
  readonly gcTime: number;
  readonly schemes: readonly SchemeSnapshot[];
  /** Live polling timers. */
  readonly pollingTimers: readonly { period: number; members: number }[];
  /** Models waiting for their grace period to end. */
  readonly pendingReleases: number;
  readonly releaseTimerArmed: boolean;
  /** Released models a program still holds (until the garbage collector runs). */
  readonly releasedStillReferenced: number;
  /** Dependency edges: `from` is an input of `to` (eval references). */
  readonly edges: readonly { from: string; to: string }[];
  /** Totals. */
  readonly totals: { attributes: number; subscribers: number; openSources: number };
}

/** @internal */
export interface SnapshotInput {
  now: number;
  gcTime: number;
  schemes: {
    scheme: string;
    backend: Record<string, unknown> | undefined;
    attributes: AttributeModel[];
    devices: string[];
    authorities: string[];
  }[];
  polling: { period: number; members: number }[];
  pendingReleases: number;
  releaseTimerArmed: boolean;
  releasedStillReferenced: number;
}

/** @internal builds the snapshot from the manager's state. */
export function buildSnapshot(input: SnapshotInput): ManagerSnapshot {
  const edges: { from: string; to: string }[] = [];
  let attributes = 0;
  let subscribers = 0;
  let openSources = 0;
  const schemes = input.schemes.map((s) => ({
    scheme: s.scheme,
    backend: s.backend,
    devices: s.devices,
    authorities: s.authorities,
    attributes: s.attributes.map((a) => {
      const r = a.reading;
      const source = a.describeSource();
      const inputs = source?.inputs;
      if (Array.isArray(inputs))
        for (const i of inputs) if (typeof i === 'string') edges.push({ from: i, to: a.fullName });
      attributes++;
      subscribers += a.subscriberCount;
      if (a.isOpen) openSources++;
      return {
        fullName: a.fullName,
        subscribers: a.subscriberCount,
        open: a.isOpen,
        connection: a.connectionState,
        quality: r?.quality,
        value: r === undefined || r.error ? undefined : String(r.rvalue),
        error: r?.error?.message,
        source,
      };
    }),
  }));
  return {
    time: input.now,
    gcTime: input.gcTime,
    schemes,
    pollingTimers: input.polling,
    pendingReleases: input.pendingReleases,
    releaseTimerArmed: input.releaseTimerArmed,
    releasedStillReferenced: input.releasedStillReferenced,
    edges,
    totals: { attributes, subscribers, openSources },
  };
}
