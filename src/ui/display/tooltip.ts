/**
 * The tooltip of a display: the rows of Taurus's `getDisplayDescrObj`
 * (name, model, description, and the limits of numeric values), one per
 * line as `Key: value`.
 *
 * @module
 */
import type { AttributeConfig, Limits } from '../../schemes/contract.js';
import { pythonStr } from '../format/python-str.js';

function limits([low, high]: Limits, units: string): string {
  const end = (v: number | undefined) =>
    v === undefined ? 'None' : units === '' ? pythonStr(v) : `${pythonStr(v)} ${units}`;
  return `[${end(low)}, ${end(high)}]`;
}

/** The tooltip rows, as `[key, value]` pairs. */
export function tooltipRows(
  fullName: string,
  config: AttributeConfig,
  isQuantity: boolean,
): [key: string, value: string][] {
  const rows: [string, string][] = [
    ['Name', config.label],
    ['Model', fullName],
  ];
  if (config.description) rows.push(['Description', config.description]);
  if (isQuantity) {
    const none = (l: Limits) => l[0] === undefined && l[1] === undefined;
    if (!none(config.range)) rows.push(['Range', limits(config.range, config.units)]);
    if (!none(config.alarms)) rows.push(['Alarm', limits(config.alarms, config.units)]);
    if (!none(config.warnings)) rows.push(['Warning', limits(config.warnings, config.units)]);
  }
  return rows;
}

/** The tooltip text: {@link tooltipRows}, one `Key: value` per line. */
export function tooltipOf(fullName: string, config: AttributeConfig, isQuantity: boolean): string {
  return tooltipRows(fullName, config, isQuantity)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
