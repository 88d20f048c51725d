/**
 * Allocation benchmark: a synthetic problem (20,000 people in 6,000 households, 60 legs by
 * default) solved by Corridor's allocator, by a straightforward exact MILP of the same model in
 * HiGHS with a time limit, and by a plain greedy baseline. Progress goes to stderr; the last line
 * of stdout is one JSON object.
 *
 *   npm run bench:allocation -- --people 2000 --households 600 --legs 12
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  allocateSeats,
  checkPlan,
  compile,
  POINT,
  scoreAssignment,
  solveMilp,
} from '../src/modules/transport/allocation/index.js';
import { syntheticProblem } from '../src/modules/transport/allocation/synthetic.js';
import { greedyBaseline } from './lib/allocation-greedy.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    households: { type: 'string', default: '6000' },
    legs: { type: 'string', default: '60' },
    seed: { type: 'string', default: '20231101' },
    'seat-ratio': { type: 'string', default: '0.75' },
    'milp-seconds': { type: 'string', default: '120' },
  },
});
const num = (name: keyof typeof values): number => Number(values[name]);
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

log(`generating ${num('people')} people in ${num('households')} households, ${num('legs')} legs...`);
const problem = syntheticProblem({
  people: num('people'),
  households: num('households'),
  legs: num('legs'),
  seed: num('seed'),
  seatRatio: num('seat-ratio'),
});
const seatsOffered = problem.legs.reduce(
  (sum, leg) => sum + leg.capacity.seats - (leg.alreadyAllocated?.seats ?? 0),
  0,
);
log(`  ${seatsOffered} free seats`);

log('Corridor allocator...');
const plan = await allocateSeats(problem, { method: 'auto' });
const violations = checkPlan(problem, plan.assignments);
if (violations.length > 0) throw new Error(`plan breaks constraints: ${violations.slice(0, 3).join('; ')}`);
log(
  `  method ${plan.method}, objective ${plan.objective}, ${plan.peopleMoved} people moved, ${plan.splitHouseholds} split, ${round(plan.seconds, 3)} s`,
);

log(`exact MILP in HiGHS (time limit ${num('milp-seconds')} s)...`);
const model = compile(problem);
let started = performance.now();
const milp = await solveMilp(model, { timeLimitSeconds: num('milp-seconds'), relativeGap: 1e-6 });
const milpSeconds = (performance.now() - started) / 1000;
const milpObjective = milp.legOf ? scoreAssignment(model, milp.legOf).score / POINT : null;
log(
  `  ${milp.variables} variables, ${milp.optimal ? 'optimal' : 'stopped'}, objective ${milpObjective}, bound ${round(milp.bound / POINT, 3)}, ${round(milpSeconds, 1)} s`,
);
const reference = milp.optimal && milpObjective !== null ? milpObjective : milp.bound / POINT;

log('greedy baseline...');
started = performance.now();
const greedy = scoreAssignment(model, greedyBaseline(model)).score / POINT;
log(`  objective ${greedy}, ${round((performance.now() - started) / 1000, 3)} s`);

console.log(
  JSON.stringify({
    objective: round(plan.objective, 3),
    ...(milp.optimal ? { optimum: round(reference, 3) } : { bestBound: round(reference, 3) }),
    ratioToOptimum: round(plan.objective / reference),
    seconds: round(plan.seconds, 3),
    splitHouseholds: plan.splitHouseholds,
    emptySeats: plan.emptySeats.reduce((sum, leg) => sum + leg.seats, 0),
    greedyRatio: round(greedy / reference),
    people: num('people'),
    households: num('households'),
    legs: num('legs'),
    method: plan.method,
    milpSeconds: round(milpSeconds, 1),
    milpIncumbent: milpObjective === null ? null : round(milpObjective, 3),
  }),
);
