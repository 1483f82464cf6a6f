export { type ApiOptions, createApi } from './app.js';
export { BadRequest } from './errors.js';
