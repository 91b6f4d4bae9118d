/**
 * tk-core/ui: the widget-facing half of the model layer, headless. Controllers
 * turn attributes into snapshots a front end renders (text, colours, pending
 * edits, forms, trends, trees), with the store contract every UI framework
 * binds to (`subscribe` and `getSnapshot`).
 *
 * Browser-safe: no Node built-ins.
 *
 * A controller given no `manager` uses the default manager. This module
 * does not load the built-in schemes: a page that bundles it (the `browser`
 * condition of tk-core/ui) passes its manager, or makes one the default with
 * {@link setDefaultManager}, or imports tk-core, whose default manager has
 * the built-in schemes. In Node, tk-core/ui (./with-defaults.ts) loads
 * that default manager itself.
 *
 * @packageDocumentation
 */

export { setDefaultManager } from '../manager/default-slot.js';
export {
  type AttributeBinding,
  type AttributeInput,
  type BindingOptions,
  bindAttribute,
  isRelativeModel,
  joinModel,
  resolveAttribute,
} from './binding/model-binding.js';
export {
  createDisplay,
  DisplayController,
  type DisplayOptions,
  type DisplaySnapshot,
  NONE_VALUE,
} from './display/display.js';
export { type BgRole, type FgRole, NAMED_BG_ROLES, NAMED_FG_ROLES } from './display/roles.js';
export { tooltipOf, tooltipRows } from './display/tooltip.js';
export {
  createForm,
  type FormApplyResult,
  FormController,
  type FormOptions,
  type FormSnapshot,
  restoreForm,
} from './form/form.js';
export {
  FORM_CONFIG_KIND,
  FORM_CONFIG_VERSION,
  type FormConfig,
  type FormItemSpec,
  type ParsedFormConfig,
  parseFormConfig,
} from './form/form-config.js';
export type { FormItem } from './form/form-item.js';
export {
  type CustomMappings,
  chooseKinds,
  defaultReadWidget,
  defaultUnitsWidget,
  defaultWriteWidget,
  type KindInputs,
  type ReadWidgetKind,
  TAURUS_WIDGET_CLASSES,
  type UnitsWidgetKind,
  type WidgetChoice,
  type WidgetKinds,
  type WriteWidgetKind,
} from './form/widget-kinds.js';
export {
  type ColorPair,
  colorsOfValue,
  type LedState,
  ledOf,
  NO_BACKGROUND,
  QUALITY_COLORS,
  qualityColors,
  STATE_COLORS,
  type UiColor,
} from './format/colors.js';
export { FormatError, type FormatSpec, formatWithSpec, parseFormatSpec } from './format/format-spec.js';
export { numpyStr, pythonFloat, pythonStr } from './format/python-str.js';
export {
  cachedFormat,
  compileFormat,
  type DefaultFormatOptions,
  defaultFormat,
  precisionOf,
  type ValueFormat,
} from './format/value-format.js';
export {
  createInput,
  InputController,
  type InputOptions,
  type InputSnapshot,
  type InputStyle,
} from './input/input.js';
export {
  type InputProblem,
  MAX_INPUT_LENGTH,
  type ParsedInput,
  type ParsedValue,
  parseInput,
  sameInputValue,
} from './input/parse-input.js';
export type { PlotCurve } from './plot/curve.js';
export {
  createPlot,
  DEFAULT_PLOT_CAPACITY,
  PlotController,
  type PlotJson,
  type PlotOptions,
  type PlotSeries,
  type PlotSnapshot,
} from './plot/plot.js';
export {
  type ExportColumn,
  type ExportOptions,
  type JsonNumber,
  type TimeFormat,
  toCsv,
} from './series/export.js';
export {
  checkWidth,
  decimateArray,
  decimateRing,
  type M4Columns,
  type M4Series,
  type RingView,
} from './series/m4.js';
export { TimeSeriesBuffer, type TimeSeriesOptions } from './series/time-series.js';
export { type ArrayCopy, arrayInto, type Drawable, scalarOf } from './series/values.js';
export { Controller, type ExternalStore, type SnapshotListener, shallowEqual } from './store/controller.js';
export {
  createTree,
  type ExpandAllOptions,
  TreeController,
  type TreeOptions,
  type TreeRow,
  type TreeSnapshot,
} from './tree/tree.js';
export type { TreeNode } from './tree/tree-node.js';
export type { TrendCurve } from './trend/curve.js';
export {
  createTrend,
  DEFAULT_TREND_CAPACITY,
  type TimeRange,
  TrendController,
  type TrendJson,
  type TrendOptions,
  type TrendSeries,
  type TrendSnapshot,
} from './trend/trend.js';
