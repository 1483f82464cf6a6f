/**
 * A request the tracking or registry service refuses as given (API: 400): the message names the field, the metric
 * key and step, or the filter position, and what was expected. Unknown records are the store's NotFound (404); a
 * record in the wrong state is the store's InvalidState (409).
 */
export class InvalidInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}
