import * as path from 'node:path';
import { PrepError, PrepErrors } from './errors.js';
import { castWithRejects } from './rejects.js';
import type { FillRule, PrepSpec, PrepStep, Scalar } from './spec.js';
import { keyPath } from './spec-check.js';
import { type Column, ident, isNumericType, type Session, sqlType, str, typedConstant } from './sql.js';

/** A one-hot encoded column may have at most this many categories. */
export const maxCategories = 1000;

interface StepContext {
  db: Session;
  spec: PrepSpec;
  from: string;
  to: string;
  columns: Column[];
  /** The step's key path in the spec, e.g. "steps[2]". */
  at: string;
  stage: number;
  delimiter: string;
  blocks: OneHotBlock[];
}

type StepHandlers = { [K in PrepStep['op']]: (step: Extract<PrepStep, { op: K }>, ctx: StepContext) => Promise<void> };

/**
 * The indicator columns of one one-hot encoded column, and the hidden column `index` that holds which one is 1
 * (1-based; columns.length + 1 when none is). The CSV writer turns a block still intact at the end into one lookup
 * of a precomputed "0,1,0,..." text, which is most of the speed of writing one-hot data.
 */
export interface OneHotBlock {
  index: string;
  columns: string[];
}

export interface SteppedRelation {
  relation: string;
  blocks: OneHotBlock[];
}

/** Runs the spec's steps in order, each a view over the one before. */
export async function applySteps(
  db: Session,
  spec: PrepSpec,
  from: string,
  delimiter: string,
): Promise<SteppedRelation> {
  const blocks: OneHotBlock[] = [];
  for (const [i, step] of spec.steps.entries()) {
    const columns = await db.columns(from);
    const ctx = { db, spec, from, to: `step_${i}`, columns, at: `steps[${i}]`, stage: i + 1, delimiter, blocks };
    requireColumns(ctx, step.op === 'cast' || step.op === 'fill' ? Object.keys(step.columns) : step.columns);
    await (handlers[step.op] as (s: PrepStep, c: StepContext) => Promise<void>)(step, ctx);
    from = ctx.to;
  }
  return { relation: from, blocks };
}

/** Every internal column (`__file`, `__row`, `__key`, one-hot indexes), carried through each step. */
const internal = "COLUMNS('^__')";

const handlers: StepHandlers = {
  async select(step, { db, spec, from, to }) {
    const label = step.columns.includes(spec.label.column) ? [] : [spec.label.column];
    const columns = [...label, ...step.columns].map(ident).join(', ');
    await db.run(`CREATE VIEW ${to} AS SELECT ${internal}, ${columns} FROM ${from}`);
  },

  async drop(step, { db, from, to }) {
    await db.run(`CREATE VIEW ${to} AS SELECT * EXCLUDE (${step.columns.map(ident).join(', ')}) FROM ${from}`);
  },

  async cast(step, { db, from, to, stage, delimiter }) {
    const casts = new Map(Object.entries(step.columns).map(([name, type]) => [name, sqlType(type)]));
    await castWithRejects(db, { from, to, kind: 'VIEW', casts, stage, delimiter });
  },

  async fill(step, ctx) {
    const fills: string[] = [];
    for (const [name, rule] of Object.entries(step.columns)) {
      const column = ctx.columns.find((c) => c.name === name) as Column;
      const value = await fillValue(ctx, column, rule);
      fills.push(`COALESCE(${ident(name)}, ${value}) AS ${ident(name)}`);
    }
    await ctx.db.run(`CREATE VIEW ${ctx.to} AS SELECT * REPLACE (${fills.join(', ')}) FROM ${ctx.from}`);
  },

  async oneHot(step, ctx) {
    const taken = new Set(ctx.columns.map((c) => c.name));
    const encoded = new Map<string, string[]>();
    for (const name of step.columns) {
      const column = ctx.columns.find((c) => c.name === name) as Column;
      const categories = await categoriesOf(ctx, column, step.categories[name]);
      if (categories.length === 0) {
        encoded.set(name, []);
        continue;
      }
      const names = categories.map(({ text }) => {
        const out = `${name}_${text}`;
        if (taken.has(out)) fail(ctx, `${ctx.at}.columns`, `one-hot column "${out}" clashes with another column`);
        taken.add(out);
        return out;
      });
      const index = `__onehot_${ctx.stage}_${encoded.size}`;
      const constants = categories.map((c) => c.constant);
      encoded.set(name, [
        ...constants.map((k, j) => `COALESCE(CAST(${ident(name)} = ${k} AS INTEGER), 0) AS ${ident(names[j] ?? '')}`),
        `COALESCE(list_position([${constants.join(', ')}], ${ident(name)}), ${constants.length + 1}) AS ${index}`,
      ]);
      ctx.blocks.push({ index, columns: names });
    }
    const select = ctx.columns.flatMap((c) => encoded.get(c.name) ?? [ident(c.name)]);
    await ctx.db.run(`CREATE VIEW ${ctx.to} AS SELECT ${[internal, ...select].join(', ')} FROM ${ctx.from}`);
  },
};

/** The categories of a one-hot column: the ones the spec lists, in its order, or every value present, sorted. */
async function categoriesOf(ctx: StepContext, column: Column, listed: Scalar[] | undefined) {
  const c = ident(column.name);
  if (listed) {
    const categories: { text: string; constant: string }[] = [];
    for (const [j, value] of listed.entries()) {
      const constant = await typedConstant(ctx.db, value, column.type);
      const at = `${keyPath(`${ctx.at}.categories`, column.name)}[${j}]`;
      if (constant === null) fail(ctx, at, `is not a ${column.type} value (got ${JSON.stringify(value)})`);
      categories.push({ text: String(value), constant: constant ?? '' });
    }
    return categories;
  }
  const rows = await ctx.db.rows(
    `SELECT CAST(v AS VARCHAR) AS text FROM (SELECT DISTINCT ${c} AS v FROM ${ctx.from} WHERE ${c} IS NOT NULL)
     ORDER BY v LIMIT ${maxCategories + 1}`,
  );
  if (rows.length > maxCategories) {
    fail(
      ctx,
      `${ctx.at}.columns`,
      `"${column.name}" has more than ${maxCategories} values; list the ones to keep in categories`,
    );
  }
  return rows.map((r) => ({ text: String(r.text), constant: `CAST(${str(String(r.text))} AS ${column.type})` }));
}

/** The constant that fills a column's missing values, as SQL of the column's own type. */
async function fillValue(ctx: StepContext, column: Column, rule: FillRule): Promise<string> {
  const at = keyPath(`${ctx.at}.columns`, column.name);
  if ('value' in rule) {
    const constant = await typedConstant(ctx.db, rule.value, column.type);
    if (constant === null)
      fail(ctx, `${at}.value`, `is not a ${column.type} value (got ${JSON.stringify(rule.value)})`);
    return constant ?? '';
  }
  const c = ident(column.name);
  if (rule.strategy !== 'mode' && !isNumericType(column.type)) {
    fail(ctx, `${at}.strategy`, `"${rule.strategy}" needs a numeric column ("${column.name}" is ${column.type})`);
  }
  // fsum (compensated) and 12 significant digits keep the mean the same whatever order threads add in.
  const query = {
    mean: `SELECT CAST(fsum(${c}) / count(${c}) AS DOUBLE) AS v FROM ${ctx.from}`,
    median: `SELECT CAST(quantile_cont(${c}, 0.5) AS DOUBLE) AS v FROM ${ctx.from}`,
    mode: `SELECT CAST(${c} AS VARCHAR) AS v FROM ${ctx.from} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY count(*) DESC, ${c} LIMIT 1`,
  }[rule.strategy];
  const [row] = await ctx.db.rows(query);
  if (row?.v === null || row?.v === undefined) {
    throw new PrepError(
      PrepErrors.BadInput,
      `${path.basename(ctx.spec.file)}: ${at}: "${column.name}" has no value to take the ${rule.strategy} of`,
    );
  }
  const text = typeof row.v === 'number' ? String(Number(row.v.toPrecision(12))) : String(row.v);
  return `CAST(${str(text)} AS ${column.type})`;
}

function requireColumns(ctx: StepContext, names: string[]): void {
  const missing = names.filter((n) => !ctx.columns.some((c) => c.name === n));
  if (missing.length > 0) {
    const known = ctx.columns.map((c) => c.name);
    const list = known.length > 30 ? `${known.slice(0, 30).join(', ')}, ...` : known.join(', ');
    fail(
      ctx,
      `${ctx.at}.columns`,
      `names ${missing.map((m) => `"${m}"`).join(', ')}, not a column here (columns: ${list})`,
    );
  }
}

function fail(ctx: StepContext, at: string, message: string): never {
  throw new PrepError(PrepErrors.InvalidSpec, `${path.basename(ctx.spec.file)}: ${at} ${message}`);
}
