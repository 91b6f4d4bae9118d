/**
 * The unit names a sandbox learns (units neither tk-core nor mathjs
 * knows, such as `counts` or `ADU`), each a new base unit of the private
 * mathjs instance, within a budget shared by all of a manager's eval
 * attributes. So that one expression cannot spend what the others need:
 *
 * - an evaluation that fails (refused, an error) leaves nothing behind: the
 *   names it learned are removed again;
 * - one evaluation learns at most `maxCustomUnitsPerExpression` names, and
 *   so do the input values of one expression (`loc` points it names, each
 *   with other `units=`);
 * - names written in expressions take at most half of the budget; the other
 *   half is kept for units that arrive with data (a `loc` point's `units=`,
 *   OLDB metadata).
 *
 * @module
 */
import type { MathJsInstance } from 'mathjs';
import { excerpt } from '../../../units/quantity.js';
import { limitFault } from './errors.js';

/** The parts of mathjs's Unit class that creating and removing a base unit touches. */
interface MathUnitClass {
  createUnitSingle(name: string, definition: Record<string, never>): unknown;
  deleteUnit(name: string): void;
  readonly BASE_DIMENSIONS: string[];
  readonly BASE_UNITS: Record<string, { dimensions: number[] }>;
  readonly UNIT_SYSTEMS: Record<string, Record<string, unknown>>;
}

/** The budgets of {@link CustomUnits}. */
export interface CustomUnitBudget {
  /** Most names a sandbox learns in all. */
  readonly total: number;
  /** Most names one evaluation may learn. */
  readonly perExpression: number;
}

interface Learned {
  readonly name: string;
  readonly base: string;
  readonly byExpression: boolean;
}

/** The learned unit names of one sandbox, in the order they were created. */
export class CustomUnits {
  readonly #unit: MathUnitClass;
  readonly #budget: CustomUnitBudget;
  readonly #learned: Learned[] = [];
  #byExpressions = 0;
  /** Names brought by the input values of each expression (bounded: cleared past 4096 expressions). */
  readonly #byOwner = new Map<string, number>();
  /** Nesting of evaluations in progress (0: none: names come from input data). */
  #depth = 0;
  /** How many names were learned when the outermost evaluation began. */
  #mark = 0;

  constructor(math: MathJsInstance, budget: CustomUnitBudget) {
    this.#unit = (math as unknown as { Unit: MathUnitClass }).Unit;
    this.#budget = budget;
  }

  /** How many names are learned. */
  get size(): number {
    return this.#learned.length;
  }

  /** Most names expressions (as opposed to input data) may teach in all. */
  get expressionShare(): number {
    return Math.floor(this.#budget.total / 2);
  }

  /**
   * Creates `name` as a new base unit, within the budgets; throws a limit
   * fault otherwise. `owner`: the expression whose input value brings it.
   */
  learn(name: string, owner?: string): void {
    const { total, perExpression } = this.#budget;
    const inEvaluation = this.#depth > 0;
    if (inEvaluation) {
      if (this.#learned.length - this.#mark >= perExpression) {
        limitFault(
          `the expression uses more than ${perExpression} unit names unknown to tk-core (${excerpt(name)} would be one more); nothing it learned is kept`,
        );
      }
      if (this.#byExpressions >= this.expressionShare) {
        limitFault(
          `expressions have already taught this manager ${this.#byExpressions} unknown unit names, the most they may (${excerpt(name)} would be one more; the rest is kept for units of input data)`,
        );
      }
    }
    const owned = !inEvaluation && owner !== undefined ? (this.#byOwner.get(owner) ?? 0) : 0;
    if (owned >= perExpression) {
      limitFault(
        `the inputs of the expression bring more than ${perExpression} unit names unknown to tk-core (${excerpt(name)} would be one more)`,
      );
    }
    if (this.#learned.length >= total) {
      limitFault(`more than ${total} unknown unit names (${excerpt(name)})`);
    }
    const before = this.#unit.BASE_DIMENSIONS.length;
    this.#unit.createUnitSingle(name, {});
    const base = this.#unit.BASE_DIMENSIONS[before] ?? `${name}_STUFF`;
    this.#learned.push({ name, base, byExpression: inEvaluation });
    if (inEvaluation) this.#byExpressions++;
    else if (owner !== undefined) {
      if (this.#byOwner.size >= 4096) this.#byOwner.clear();
      this.#byOwner.set(owner, owned + 1);
    }
  }

  /** Marks the start of an evaluation (names learned from here on are the expression's). */
  begin(): void {
    if (this.#depth === 0) this.#mark = this.#learned.length;
    this.#depth++;
  }

  /**
   * Ends an evaluation. When the outermost one failed (`ok` false), removes
   * every name it learned and answers true: the caller drops its caches.
   */
  end(ok: boolean): boolean {
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth > 0 || ok || this.#learned.length === this.#mark) return false;
    while (this.#learned.length > this.#mark) this.#remove(this.#learned.pop()!);
    return true;
  }

  /** Undoes mathjs's createUnitSingle of the last learned base unit. */
  #remove(entry: Learned): void {
    const U = this.#unit;
    U.deleteUnit(entry.name);
    if (U.BASE_DIMENSIONS[U.BASE_DIMENSIONS.length - 1] === entry.base) U.BASE_DIMENSIONS.pop();
    delete U.BASE_UNITS[entry.base];
    const n = U.BASE_DIMENSIONS.length;
    for (const b of Object.keys(U.BASE_UNITS)) {
      const dims = U.BASE_UNITS[b]!.dimensions;
      if (dims.length > n) dims.length = n;
    }
    for (const system of Object.values(U.UNIT_SYSTEMS)) delete system[entry.base];
    if (entry.byExpression) this.#byExpressions--;
  }
}
