/**
 * `manager.snapshot()`: the live state of a manager as plain data, the
 * counterpart of a fault handler's dump.
 *
 * @module
 */
import type { AttributeModel } from '../attribute/attribute.js';

/** One live attribute in a snapshot. */
export interface AttributeSnapshot {
  /** The canonical name. */
  readonly fullName: string;
  /** Live subscribers. */
  readonly subscribers: number;
  /** Whether the backend source is open. */
  readonly open: boolean;
  /** Connection state. */
  readonly connection: string;
  /** Quality of the latest reading. */
  readonly quality: string | undefined;
  /** The latest value as text. */
  readonly value: string | undefined;
  /** The latest reading's error message. */
  readonly error: string | undefined;
  /** What the source says about itself (e.g. expression and inputs). */
  readonly source: Record<string, unknown> | undefined;
}

/** A scheme in a snapshot. */
export interface SchemeSnapshot {
  /** The scheme name. */
  readonly scheme: string;
  /** Live attributes. */
  readonly attributes: readonly AttributeSnapshot[];
  /** Full names of live devices. */
  readonly devices: readonly string[];
  /** Full names of live authorities. */
  readonly authorities: readonly string[];
  /** Backend connections and their state, as the backend describes them. */
  readonly backend: Record<string, unknown> | undefined;
}

/** The live state of a manager. */
export interface ManagerSnapshot {
  /** Clock time of the snapshot. */
  readonly time: number;
  /** The manager's grace period in ms. */
  readonly gcTime: number;
  /** Per scheme. */
  readonly schemes: readonly SchemeSnapshot[];
  /** Live polling timers. */
  readonly pollingTimers: readonly {
    /** Period in ms. */
    period: number;
    /** Attributes polled by this timer. */
    members: number;
  }[];
  /** Models waiting for their grace period to end. */
  readonly pendingReleases: number;
  /** Whether the release queue's timer is armed. */
  readonly releaseTimerArmed: boolean;
  /** Released models a program still holds (until the garbage collector runs). */
  readonly releasedStillReferenced: number;
  /** Dependency edges: `from` is an input of `to` (eval references). */
  readonly edges: readonly {
    /** The input's full name. */
    from: string;
    /** The dependent attribute's full name. */
    to: string;
  }[];
  /** Totals. */
  readonly totals: {
    /** Live attributes. */
    attributes: number;
    /** Their subscribers. */
    subscribers: number;
    /** Open backend sources. */
    openSources: number;
  };
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
