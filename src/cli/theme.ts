/**
 * The terminal's theme for tk-core/ui colours: a UI colour (Taurus's palette,
 * by its name) drawn with the nearest of the terminal's 16 colours. The
 * colours themselves come from the UI layer (`qualityColors`, a display's
 * `background`), so `tk` and a web page colour a quality the same way.
 *
 * @module
 */
import type { Quality } from '../core/enums.js';
import { qualityColors, type UiColor } from '../ui/format/colors.js';
import type { Colors } from './format.js';

type Paint = keyof Pick<Colors, 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magenta' | 'white'>;

/** Taurus's colour names (quality and device-state palettes) and the terminal colour each is drawn with. */
const TERMINAL_COLORS: Readonly<Record<string, Paint>> = {
  'Frog Green': 'green',
  'Dead Frog Green': 'green',
  Green: 'green',
  Orange: 'yellow',
  Tangorange: 'yellow',
  Yellow: 'yellow',
  Grenoble: 'yellow',
  Red: 'red',
  Gray: 'gray',
  Lightblue: 'cyan',
  'Light Blue': 'cyan',
  Magenta: 'magenta',
  White: 'white',
};

/** `text` in the terminal colour of `color` (unchanged for a colour the terminal does not draw, such as transparent). */
export function paint(color: UiColor, text: string, c: Colors): string {
  const name = TERMINAL_COLORS[color.name];
  return name === undefined ? text : c[name](text);
}

/**
 * A quality in Taurus's quality colours (`ATTRIBUTE_QUALITY_DATA`): VALID
 * green, WARNING and ALARM orange (yellow on a terminal), CHANGING light blue
 * (cyan), INVALID gray; ALARM and INVALID also bold, so the severe ones stand
 * out on a terminal where orange and yellow look alike.
 */
export function paintQuality(q: Quality | string, c: Colors): string {
  const text = paint(qualityColors(q as Quality).background, q, c);
  return q === 'ALARM' || q === 'INVALID' ? c.bold(text) : text;
}
