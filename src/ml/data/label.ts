import * as path from 'node:path';
import { PrepError, PrepErrors } from './errors.js';
import { rejectWhere } from './rejects.js';
import type { PrepSpec } from './spec.js';
import { type Column, ident, isNumericType, type Session, str, typedConstant } from './sql.js';

/**
 * Defines the view `prepared`: the internal columns, `__label` (0/1), then the features in column order, booleans
 * as 0/1. A row without a label, or whose label is not 0/1 when no positive value is set, is rejected. A view, not
 * a table: each split's writer computes only its own rows, and one-hot columns need never be materialized.
 * @returns the features, as written
 */
export async function labelRows(db: Session, spec: PrepSpec, from: string, delimiter: string): Promise<Column[]> {
  const name = path.basename(spec.file);
  const columns = await db.columns(from);
  const label = columns.find((c) => c.name === spec.label.column);
  if (!label) {
    const known = columns.map((c) => c.name).join(', ');
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${name}: label.column "${spec.label.column}" is not a column (columns: ${known})`,
    );
  }
  const c = ident(label.name);
  let value: string;
  let bad: string;
  let reason: string;
  if (spec.label.positive !== undefined) {
    const positive = await typedConstant(db, spec.label.positive, label.type);
    if (positive === null) {
      throw new PrepError(
        PrepErrors.InvalidSpec,
        `${name}: label.positive ${JSON.stringify(spec.label.positive)} is not a ${label.type} value, the type of "${label.name}"`,
      );
    }
    value = `CAST(${c} = ${positive} AS INTEGER)`;
    bad = `${c} IS NULL`;
    reason = str(`label "${label.name}" is missing`);
  } else {
    if (!isNumericType(label.type) && label.type !== 'BOOLEAN') {
      throw new PrepError(
        PrepErrors.InvalidSpec,
        `${name}: label.column "${label.name}" holds ${label.type} values: set label.positive to the value that means 1`,
      );
    }
    value = `CAST(${c} AS INTEGER)`;
    bad = `${c} IS NULL OR CAST(${c} AS DOUBLE) NOT IN (0, 1)`;
    reason = `CASE WHEN ${c} IS NULL THEN ${str(`label "${label.name}" is missing`)}
              ELSE ${str(`label "${label.name}" must be 0 or 1 (got `)} || CAST(${c} AS VARCHAR) || ')' END`;
  }
  await rejectWhere(db, from, { condition: bad, reason, stage: spec.steps.length + 1, delimiter });
  const originals = columns.filter((col) => col.name !== label.name);
  const features = originals.map((col) => (col.type === 'BOOLEAN' ? { name: col.name, type: 'INTEGER' } : col));
  if (spec.output.formats.includes('csv')) {
    const text = features.filter((f) => !isNumericType(f.type));
    if (text.length > 0) {
      const list = text.map((f) => `"${f.name}" (${f.type})`).join(', ');
      throw new PrepError(
        PrepErrors.InvalidSpec,
        `${name}: CSV output takes numbers only, but these features are not: ${list}; add a oneHot or cast step, or drop them`,
      );
    }
  }
  const select = originals.map((col) =>
    col.type === 'BOOLEAN' ? `, CAST(${ident(col.name)} AS INTEGER) AS ${ident(col.name)}` : `, ${ident(col.name)}`,
  );
  await db.run(
    `CREATE VIEW prepared AS SELECT COLUMNS('^__'), ${value} AS __label${select.join('')}
     FROM ${from} WHERE NOT (${bad})`,
  );
  return features;
}
