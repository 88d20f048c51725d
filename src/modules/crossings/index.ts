/** What other modules may use from the crossings module. */

export { overallStatus } from './crossing.service.js';
export { decideListMatches } from './list-matching.service.js';
export { listDatesForPersons } from './list-review.service.js';
