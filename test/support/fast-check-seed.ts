// Every property test of the suite runs from one fixed seed, so a run of the
// suite is repeatable: a failure found in CI is found again on any machine.
// FC_SEED=<n> runs the properties from another seed (to explore; a failure
// prints its seed and path, which reproduce it).
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 20_261_207);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
