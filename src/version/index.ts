/** Flywheel's own version (package.json). */
export { VERSION } from './version.js';
