declare module 'js-quantities' {
  interface Qty {
    readonly scalar: number;
    readonly baseScalar: number;
    units(): string;
    to(units: string | Qty): Qty;
    isCompatible(other: string | Qty): boolean;
    isUnitless(): boolean;
    isBase(): boolean;
    kind(): string;
    toString(precision?: number | string): string;
    mul(other: number | string | Qty): Qty;
    div(other: number | string | Qty): Qty;
    add(other: string | Qty): Qty;
    sub(other: string | Qty): Qty;
    eq(other: Qty): boolean;
    compareTo(other: Qty): number;
  }
  interface QtyStatic {
    (value: string | number, units?: string): Qty;
    parse(value: string): Qty | null;
    swiftConverter(from: string, to: string): (value: number) => number;
    getUnits(kind?: string): string[];
    getAliases(unit: string): string[];
    Error: new (...args: unknown[]) => Error;
  }
  const Qty: QtyStatic;
  export default Qty;
}
