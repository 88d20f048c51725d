/** What other modules (and the worker) may use from the transport module. */

export { expireOffers } from './assignment.service.js';
export { legFigures } from './leg.service.js';
