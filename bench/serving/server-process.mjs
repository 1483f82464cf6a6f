// `flywheel server` for the serving benchmark, in its own process: sends its URL to the parent once listening.
import { startServer } from '../../dist/server/index.js';

const [dataDir, cwd] = process.argv.slice(2);
const server = await startServer({ dataDir, cwd, host: '127.0.0.1', port: 0, log: () => {} });
process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
process.send(server.url);
