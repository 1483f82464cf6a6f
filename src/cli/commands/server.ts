import type { Command } from 'commander';
import { UsageError } from '../context.js';

interface ServerFlags {
  host: string;
  port: string;
  store?: string;
  leaseSeconds: string;
  maxInvocationMb: string;
}

export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('start the long-running process: REST API, engine workers and timers')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', process.env.FLYWHEEL_PORT ?? '7070')
    .option(
      '--store <url>',
      'postgres://... to share a PostgreSQL database (default: SQLite in the data directory)',
      process.env.FLYWHEEL_STORE,
    )
    .option(
      '--lease-seconds <n>',
      'how long an execution stays with a server that stopped answering before another takes it over',
      '15',
    )
    .option('--max-invocation-mb <n>', 'largest endpoint invocation body, in MB (SageMaker: 6)', '6')
    .action(async (opts: ServerFlags, cmd: Command) => {
      const port = Number(opts.port);
      const leaseSeconds = Number(opts.leaseSeconds);
      if (!(leaseSeconds >= 1 && leaseSeconds <= 3600)) {
        throw new UsageError(`--lease-seconds must be a number between 1 and 3600 (got "${opts.leaseSeconds}")`);
      }
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be an integer between 0 and 65535 (got "${opts.port}")`);
      const maxMb = Number(opts.maxInvocationMb);
      if (!(maxMb > 0 && maxMb <= 1024)) {
        throw new UsageError(
          `--max-invocation-mb must be a number above 0 and at most 1024 (got "${opts.maxInvocationMb}")`,
        );
      }
      const { dataDir } = cmd.optsWithGlobals<{ dataDir: string }>();
      const { startServer } = await import('../../server/index.js');
      const server = await startServer({
        dataDir,
        host: opts.host,
        port,
        leaseMs: leaseSeconds * 1000,
        maxInvocationBytes: Math.round(maxMb * 1024 * 1024),
        ...(opts.store !== undefined && { storeUrl: opts.store }),
      });
      process.stderr.write(`flywheel server listening on ${server.url} (data dir ${dataDir})\n`);
      const stop = (signal: string): void => {
        process.stderr.write(`flywheel server: ${signal}, shutting down\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
