import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ModelVersion } from '../../client/index.js';
import { clientFor, type GlobalOptions, UsageError } from '../context.js';
import { printJson, printTable } from '../io.js';

/** Who the CLI says is acting: --actor, else the login name. */
function defaultActor(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

function printVersion(v: ModelVersion): void {
  printTable(
    ['FIELD', 'VALUE'],
    [
      ['version', `${v.group} v${v.version}`],
      [
        'status',
        `${v.status} (by ${v.statusChangedBy} at ${v.statusChangedAt}${v.statusComment ? `: ${v.statusComment}` : ''})`,
      ],
      ['aliases', v.aliases.join(', ') || '-'],
      ['artifact', `${v.artifactSha256} (${v.format})`],
      ['signature', v.signature.map((f) => `${f.name}:${f.type}`).join(', ') || '-'],
      ['run', v.runId ?? '-'],
      ['git', v.lineage?.gitCommit ?? '-'],
      ['created', v.createdAt],
      ...Object.entries(v.metrics).map(([k, m]) => [`metric ${k}`, String(m)]),
    ],
  );
}

const versionRows = (versions: ModelVersion[]): string[][] =>
  versions.map((v) => [
    String(v.version),
    v.status,
    v.aliases.join(',') || '-',
    v.runId ?? '-',
    v.createdAt,
    `${v.statusChangedBy}${v.statusComment ? `: ${v.statusComment}` : ''}`,
  ]);
const VERSION_HEADERS = ['VERSION', 'STATUS', 'ALIASES', 'RUN', 'CREATED', 'LAST CHANGE'];

export function modelCommands(program: Command): void {
  const models = program.command('models').description('the model registry: versions, approvals, aliases');
  const client = (cmd: Command) => clientFor(cmd.optsWithGlobals<GlobalOptions>());

  models
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const groups = await client(cmd).listModelGroups();
      if (opts.json) printJson({ groups });
      else
        printTable(
          ['GROUP', 'LATEST', 'ALIASES', 'UPDATED'],
          groups.map((g) => [
            g.name,
            String(g.latestVersion),
            Object.entries(g.aliases)
              .map(([a, v]) => `${a}=v${v}`)
              .join(' ') || '-',
            g.updatedAt,
          ]),
        );
    });

  models
    .command('show <group> [version]')
    .description('a model group with its versions, or one version (a number or an alias)')
    .option('--json', 'print JSON')
    .action(async (group: string, version: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      if (version !== undefined) {
        const v = await client(cmd).getModelVersion(group, version);
        if (opts.json) printJson(v);
        else printVersion(v);
        return;
      }
      const g = await client(cmd).getModelGroup(group);
      if (opts.json) printJson(g);
      else {
        process.stdout.write(`${g.name}: latest v${g.latestVersion}, created ${g.createdAt}\n`);
        printTable(VERSION_HEADERS, versionRows(g.versions ?? []));
      }
    });

  models
    .command('versions <group>')
    .option('--json', 'print JSON')
    .action(async (group: string, opts: { json?: boolean }, cmd: Command) => {
      const versions = await client(cmd).listModelVersions(group);
      if (opts.json) printJson({ versions });
      else printTable(VERSION_HEADERS, versionRows(versions));
    });

  for (const verb of ['approve', 'reject'] as const) {
    models
      .command(`${verb} <group> <version>`)
      .description(verb === 'approve' ? 'approve a pending version' : 'reject a pending or approved version')
      .requiredOption('--comment <text>', 'why (recorded with the change)')
      .option('--actor <name>', 'who (default: your login name)', defaultActor())
      .option('--json', 'print JSON')
      .action(async (group: string, version: string, opts: { comment: string; actor: string; json?: boolean }, cmd) => {
        const c = client(cmd as Command);
        const v =
          verb === 'approve'
            ? await c.approveModel(group, version, opts.comment, opts.actor)
            : await c.rejectModel(group, version, opts.comment, opts.actor);
        if (opts.json) printJson(v);
        else process.stdout.write(`${v.group} v${v.version}: ${v.status} (by ${v.statusChangedBy})\n`);
      });
  }

  models
    .command('alias <group> <alias> [version]')
    .description('point an alias (staging, production, any name) at a version, or remove it with --remove')
    .option('--remove', 'remove the alias')
    .option('--comment <text>', 'why', '')
    .option('--actor <name>', 'who (default: your login name)', defaultActor())
    .option('--json', 'print JSON')
    .action(
      async (
        group: string,
        alias: string,
        version: string | undefined,
        opts: { remove?: boolean; comment: string; actor: string; json?: boolean },
        cmd: Command,
      ) => {
        const by = { comment: opts.comment, actor: opts.actor };
        if (opts.remove) {
          if (version !== undefined) throw new UsageError('give either a version or --remove, not both');
          await client(cmd).removeModelAlias(group, alias, by);
          if (opts.json) printJson({ group, alias, removed: true });
          else process.stdout.write(`${group}: removed alias ${alias}\n`);
          return;
        }
        if (version === undefined) throw new UsageError('give the version the alias should point at (or --remove)');
        const moved = await client(cmd).setModelAlias(group, alias, version, by);
        if (opts.json) printJson(moved);
        else {
          const was = moved.previousVersion === null ? '' : ` (was v${moved.previousVersion})`;
          process.stdout.write(`${group}: ${alias} -> v${moved.version}${was}\n`);
        }
      },
    );

  models
    .command('events')
    .description('status and alias changes, oldest first (what deployers and webhooks poll)')
    .option('--after <seq>', 'only events after this sequence number', '0')
    .option('--limit <n>', 'at most this many (up to 1000)', '100')
    .option('--json', 'print JSON')
    .action(async (opts: { after: string; limit: string; json?: boolean }, cmd: Command) => {
      const events = await client(cmd).listModelEvents(Number(opts.after), Number(opts.limit));
      if (opts.json) printJson({ events });
      else
        printTable(
          ['SEQ', 'TIME', 'TYPE', 'MODEL', 'DETAIL', 'BY'],
          events.map((e) => {
            const { seq, timestamp, type, group, version, actor, comment, ...detail } = e;
            const why = comment ? `: ${comment}` : '';
            return [String(seq), timestamp, type, `${group} v${version}`, JSON.stringify(detail), `${actor}${why}`];
          }),
        );
    });
}
