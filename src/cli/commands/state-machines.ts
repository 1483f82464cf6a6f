import type { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../context.js';
import { printJson, printTable, readJsonFile } from '../io.js';

export function stateMachineCommands(program: Command): void {
  const sm = program.command('state-machines').description('manage state machines on the running server');
  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

  for (const verb of ['create', 'update'] as const) {
    sm.command(`${verb} <name>`)
      .description(`${verb} a state machine from a definition file`)
      .requiredOption('--definition <file>', 'ASL definition (JSON)')
      .option('--json', 'print JSON')
      .action(async (name: string, opts: { definition: string; json?: boolean }, cmd: Command) => {
        const client = clientFor(globals(cmd));
        const definition = readJsonFile(opts.definition, 'definition');
        const record =
          verb === 'create'
            ? await client.createStateMachine(name, definition)
            : await client.updateStateMachine(name, definition);
        if (opts.json) printJson(record);
        else process.stdout.write(`${verb}d ${record.name} (version ${record.version})\n`);
      });
  }

  sm.command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const machines = await clientFor(globals(cmd)).listStateMachines();
      if (opts.json) printJson({ stateMachines: machines });
      else
        printTable(
          ['NAME', 'VERSION', 'UPDATED'],
          machines.map((m) => [m.name, String(m.version), m.updatedAt]),
        );
    });

  sm.command('describe <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      printJson(await clientFor(globals(cmd)).describeStateMachine(name));
    });

  sm.command('delete <name>').action(async (name: string, _opts: unknown, cmd: Command) => {
    await clientFor(globals(cmd)).deleteStateMachine(name);
    process.stdout.write(`deleted ${name}\n`);
  });
}
