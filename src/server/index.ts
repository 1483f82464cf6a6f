export { type LocalEngine, openLocalEngine } from './local-engine.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
