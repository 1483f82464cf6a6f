export { DataDir, type ServerInfo } from './data-dir.js';
export { type LocalEngine, openLocalEngine } from './local-engine.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
export { VERSION } from './version.js';
