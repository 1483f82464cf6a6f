import type { Command } from 'commander';
import { clientFor, type GlobalOptions, UsageError } from '../context.js';
import { printJson, printTable } from '../io.js';

export function artifactCommands(program: Command): void {
  const artifacts = program.command('artifacts').description('the content-addressed artifact store');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  artifacts
    .command('get <sha256>')
    .description('download a file artifact to PATH, or a folder artifact into PATH, verifying every byte')
    .requiredOption('--out <path>', 'where to write it')
    .option('--json', 'print JSON')
    .action(async (sha256: string, opts: { out: string; json?: boolean }, cmd: Command) => {
      const { isSha256 } = await import('../../artifacts/index.js');
      if (!isSha256(sha256)) throw new UsageError(`<sha256> must be 64 lower-case hex characters (got "${sha256}")`);
      const info = await client(cmd).downloadArtifact(sha256, opts.out);
      if (opts.json)
        printJson({ sha256: info.sha256, kind: info.kind, size: info.size, files: info.files, out: opts.out });
      else process.stdout.write(`${info.kind} ${info.sha256} (${info.size} bytes) -> ${opts.out}\n`);
    });

  artifacts
    .command('put <file>')
    .description('upload a file; prints its sha256')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const info = await client(cmd).uploadArtifact(file);
      if (opts.json) printJson(info);
      else process.stdout.write(`${info.sha256}\n`);
    });

  artifacts
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await client(cmd).listArtifacts();
      if (opts.json) printJson({ artifacts: list });
      else
        printTable(
          ['SHA256', 'KIND', 'SIZE', 'FILES', 'STORED'],
          list.map((a) => [a.sha256, a.kind, String(a.size), String(a.files), a.storedAt]),
        );
    });

  artifacts
    .command('gc')
    .description('delete the artifacts no run and no model version refers to')
    .option('--dry-run', 'only report what would be deleted')
    .option('--grace-seconds <n>', 'spare artifacts stored less than this long ago (a put not yet referenced)', '3600')
    .option('--json', 'print JSON')
    .action(async (opts: { dryRun?: boolean; graceSeconds: string; json?: boolean }, cmd: Command) => {
      const graceSeconds = Number(opts.graceSeconds);
      if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
        throw new UsageError(`--grace-seconds must be a non-negative number (got "${opts.graceSeconds}")`);
      }
      const report = await client(cmd).collectArtifactGarbage({ dryRun: opts.dryRun === true, graceSeconds });
      if (opts.json) printJson({ ...report, dryRun: opts.dryRun === true });
      else {
        const verb = opts.dryRun ? 'would delete' : 'deleted';
        for (const d of report.deleted) process.stdout.write(`${verb} ${d.kind} ${d.sha256} (${d.size} bytes)\n`);
        process.stdout.write(
          `${verb} ${report.deleted.length}, freed ${report.freedBytes} bytes, kept ${report.kept}\n`,
        );
      }
    });
}
