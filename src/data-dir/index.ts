/** The data directory's layout: store file, API token, node id, artifacts, the running server's address. */
export { DataDir, type ServerInfo } from './data-dir.js';
