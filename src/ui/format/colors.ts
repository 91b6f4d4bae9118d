/**
 * Taurus's colours, as CSS colours and as names a theme can map:
 * the attribute-quality palette (`ATTRIBUTE_QUALITY_DATA`) and the
 * device-state palette (`DEVICE_STATE_DATA`) of Taurus's
 * `taurus/core/util/colors.py`, each entry with the black or white text
 * colour Taurus draws on it, and the LED colours of Taurus's `TaurusLed`.
 *
 * @module
 */
import type { Quality } from '../../core/enums.js';
import { Quantity } from '../../units/quantity.js';

/** A colour: a stable key for themes, Taurus's name, and CSS. Entries are shared constants (compare by identity). */
export interface UiColor {
  /** What the colour stands for (`VALID`, `ALARM`, `ON`, `transparent`...): the key a theme maps. */
  readonly key: string;
  /** Taurus's name of the colour (`Frog Green`, `Orange`, `Gray`...). */
  readonly name: string;
  /** A CSS colour (`#00ff00`, `transparent`). */
  readonly css: string;
  /** Red, green, blue (0-255) and alpha (0-1). */
  readonly rgba: readonly [number, number, number, number];
}

/** A background and the text colour Taurus draws on it. */
export interface ColorPair {
  /** The background. */
  readonly background: UiColor;
  /** The text colour on it. */
  readonly foreground: UiColor;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function color(key: string, name: string, r: number, g: number, b: number, a = 1): UiColor {
  const css =
    a === 0 ? 'transparent' : a === 1 ? `#${hex(r)}${hex(g)}${hex(b)}` : `rgba(${r}, ${g}, ${b}, ${a})`;
  return Object.freeze({ key, name, css, rgba: Object.freeze([r, g, b, a] as const) });
}

/** Taurus's `_BW_RGB`: the text colours, by the index a palette entry gives. */
const TEXT = [
  color('text-black', 'Black', 0, 0, 0),
  color('text-white', 'White', 255, 255, 255),
  color('text-yellow', 'Yellow', 255, 255, 0),
  color('text-green', 'Green', 0, 128, 0),
] as const;

type Entry = readonly [name: string, r: number, g: number, b: number, text: 0 | 1 | 2 | 3];

function palette(data: Readonly<Record<string, Entry>>): Readonly<Record<string, ColorPair>> {
  const out: Record<string, ColorPair> = {};
  for (const [key, [name, r, g, b, t]] of Object.entries(data)) {
    out[key] = Object.freeze({ background: color(key, name, r, g, b), foreground: TEXT[t] });
  }
  return Object.freeze(out);
}

/** Taurus's `ATTRIBUTE_QUALITY_DATA`, keyed by tk-core's quality names (`UNKNOWN`: no reading). */
export const QUALITY_COLORS: Readonly<Record<Quality | 'UNKNOWN', ColorPair>> = palette({
  INVALID: ['Gray', 128, 128, 128, 1],
  VALID: ['Frog Green', 0, 255, 0, 0],
  ALARM: ['Orange', 255, 140, 0, 1],
  WARNING: ['Orange', 255, 140, 0, 1],
  CHANGING: ['Lightblue', 128, 160, 255, 0],
  UNKNOWN: ['Gray', 128, 128, 128, 0],
}) as Readonly<Record<Quality | 'UNKNOWN', ColorPair>>;

/** Taurus's `DEVICE_STATE_DATA` (device states and Tango `DevState` names), for roles whose value is a state. */
export const STATE_COLORS: Readonly<Record<string, ColorPair>> = palette({
  Ready: ['Green', 0, 255, 0, 0],
  NotReady: ['Red', 255, 0, 0, 0],
  Undefined: ['Gray', 128, 128, 128, 0],
  ON: ['Dead Frog Green', 0, 255, 0, 0],
  OFF: ['White', 255, 255, 255, 0],
  CLOSE: ['White', 255, 255, 255, 3],
  OPEN: ['Green', 0, 255, 0, 0],
  INSERT: ['White', 255, 255, 255, 0],
  EXTRACT: ['Green', 0, 255, 0, 0],
  MOVING: ['Light Blue', 128, 160, 255, 0],
  STANDBY: ['Yellow', 255, 255, 0, 0],
  FAULT: ['Red', 255, 0, 0, 0],
  INIT: ['Grenoble', 204, 204, 122, 0],
  RUNNING: ['Light Blue', 128, 160, 255, 0],
  ALARM: ['Tangorange', 255, 140, 0, 1],
  DISABLE: ['Magenta', 255, 0, 255, 0],
  UNKNOWN: ['Gray', 128, 128, 128, 0],
});

/** No background (Taurus's `bgRole` `none`): transparent, with black text. */
export const NO_BACKGROUND: ColorPair = Object.freeze({
  background: color('transparent', 'Transparent', 0, 0, 0, 0),
  foreground: TEXT[0],
});

/** The colours of a quality (an unknown or absent quality is Taurus's `UNKNOWN` gray). */
export function qualityColors(quality: Quality | undefined): ColorPair {
  return (quality !== undefined && QUALITY_COLORS[quality]) || QUALITY_COLORS.UNKNOWN;
}

/**
 * The colours of any role value, as Taurus's `updateLabelBackground` picks
 * them for a fragment: a quality name uses the quality palette, a device
 * state name (`ON`, `FAULT`, `DevState.ON`, `TaurusDevState.Ready`) the state
 * palette, anything else the state palette's `UNKNOWN` gray.
 */
export function colorsOfValue(value: unknown): ColorPair {
  if (typeof value === 'string') {
    const q = value.startsWith('ATTR_') ? value.slice(5) : value;
    if (Object.hasOwn(QUALITY_COLORS, q) && q !== 'UNKNOWN') return QUALITY_COLORS[q as Quality];
    const s = value.replace(/^(?:Taurus)?DevState\./, '');
    if (Object.hasOwn(STATE_COLORS, s)) return STATE_COLORS[s]!;
  }
  return STATE_COLORS.UNKNOWN!;
}

/** The state of a LED (Taurus's `TaurusLed`): on or off, its colour, and `trouble` when the value is not a boolean. */
export interface LedState {
  /** Lit. */
  readonly on: boolean;
  /** Taurus's LED colour name (`green`; `red` in trouble). */
  readonly color: string;
  /** The value could not be shown as a LED (no value, or not a boolean): Taurus hatches the background. */
  readonly trouble: boolean;
}

const LED_ON: LedState = Object.freeze({ on: true, color: 'green', trouble: false });
const LED_OFF: LedState = Object.freeze({ on: false, color: 'green', trouble: false });
const LED_TROUBLE: LedState = Object.freeze({ on: false, color: 'red', trouble: true });

/**
 * The LED state of a value, as Taurus's LED controller decides it: no value
 * (or an array, whose truth Python refuses to guess) is trouble; otherwise
 * the value's truth (a boolean, a non-zero number or quantity, a non-empty text).
 */
export function ledOf(value: unknown): LedState {
  if (value === null || value === undefined) return LED_TROUBLE;
  const v: unknown = Quantity.isQuantity(value) ? value.magnitude : value;
  if (typeof v === 'object' && v !== null) return LED_TROUBLE;
  return v ? LED_ON : LED_OFF;
}
