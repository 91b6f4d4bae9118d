/** Types of the parts of asciichart 1.5 that `tk` uses. */
declare module 'asciichart' {
  /** Options of {@link plot}. */
  export interface PlotConfig {
    height?: number;
    min?: number;
    max?: number;
    offset?: number;
    padding?: string;
    colors?: string[];
    format?: (x: number, i: number) => string;
  }
  /** Draws one series (or several) as lines of text. */
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  export const green: string;
  export const cyan: string;
  export const reset: string;
  const asciichart: { plot: typeof plot; green: string; cyan: string; reset: string };
  export default asciichart;
}
