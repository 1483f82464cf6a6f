// `npm run bench`: runs every benchmark folder's run.mjs in turn (engine, gbdt, data-prep, ...), passing arguments on.
// Figures print to stdout and land in bench/out/<name>.json; bench/README.md records the measured ones.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname);
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
let failed = 0;
for (const name of readdirSync(here).sort()) {
  const script = join(here, name, 'run.mjs');
  if (!existsSync(script) || (only.length > 0 && !only.includes(name))) continue;
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, [script, ...flags], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
