/**
 * Random numbers for `rand`, `randn` and `randint`: any source of uniform
 * numbers in `[0, 1)`, so tests can inject a seeded one.
 *
 * @module
 */

/** A source of uniformly distributed numbers in `[0, 1)`. */
export type RandomSource = () => number;

/**
 * A deterministic {@link RandomSource} (sfc32 seeded through splitmix32) for
 * tests and reproducible demos. Same seed, same sequence.
 */
export function createSeededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box–Muller). */
export function normalFrom(random: RandomSource): number {
  let u = random();
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
