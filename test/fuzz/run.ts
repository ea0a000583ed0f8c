// `npm run fuzz -- --runs 10000 [--seed N]`: the long run of the mutation fuzzer (engine.ts).
// Prints inputs, time, max memory and findings per input; exits 1 on the first broken invariant
// (with fast-check's seed and path to replay it) or when a rule failed on some input.
import fc from 'fast-check';
import { exampleModel, inputArb, loadSeeds, newStats, runInput } from './engine';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(option('runs') ?? 1000);
const seed = option('seed') === undefined ? Date.now() % 2 ** 31 : Number(option('seed'));
const seeds = loadSeeds();
const model = exampleModel(seeds);
const stats = newStats();
const started = Date.now();
let failure: unknown;
try {
  fc.assert(
    fc.property(inputArb(seeds), (input) => {
      runInput(model, seeds, input, stats);
      if (stats.inputs % 250 === 0) {
        const s = (Date.now() - started) / 1000;
        console.log(`… ${stats.inputs} inputs, ${s.toFixed(0)} s, max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ${(stats.findings / stats.inputs).toFixed(1)} findings per input (max ${stats.maxFindings}), ${stats.fixesApplied} fixes applied`);
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
} catch (error) {
  failure = error;
}
const seconds = (Date.now() - started) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`seeds: ${seeds.texts.length} texts (${seeds.corpusFiles} from the corpus); fast-check seed ${seed}`);
console.log(`inputs: ${stats.inputs} in ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, stats.inputs)).toFixed(1)} ms each); max RSS ${maxRssMb.toFixed(0)} MB`);
console.log(`findings per input: ${(stats.findings / Math.max(1, stats.inputs)).toFixed(1)} on average, ${stats.maxFindings} at most; fixes applied: ${stats.fixesApplied}`);
if (stats.ruleErrors.size > 0) console.log(`rules that threw (reported by the engine, not silent): ${[...stats.ruleErrors].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
if (failure) {
  console.error(String((failure as Error).message ?? failure));
  // fast-check keeps what the property threw as the cause.
  const cause = (failure as { cause?: unknown }).cause;
  if (cause) console.error(`cause: ${(cause as Error).message ?? cause}`);
  process.exit(1);
}
// Rules that expand aliases without a limit throw on alias bombs (issue 14, item 2): reported, and
// fatal only when the input had no alias bomb.
if (stats.ruleErrorInputs.some((kinds) => !kinds.includes('alias-bomb'))) process.exit(1);
