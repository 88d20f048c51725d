/**
 * Seat allocation: who goes on which transport leg. A pure library — no database, no HTTP.
 * See docs/allocation.md for the model, the methods and the measured figures.
 */
export { allocateSeats } from './allocate.js';
export { checkPlan } from './check.js';
export { loadHighs, solveMilp } from './exact.js';
export { solveFast } from './fast.js';
export { compile, POINT, priorityWeight, SPLIT_PENALTY, scoreAssignment } from './model.js';
export * from './types.js';
export { AllocationInputError, type InputIssue, validateProblem } from './validate.js';
