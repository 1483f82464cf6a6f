import { PrepError, PrepErrors } from './errors.js';
import { inferTypes, sampleRows } from './infer-types.js';
import { castWithRejects } from './rejects.js';
import { ident, type Session, str } from './sql.js';

/**
 * Reads JSON Lines into `input`: one object per line, keys in order of first appearance. A line that is not a JSON
 * object is rejected with its line number; blank lines are skipped. Values are read as text, then typed like CSV
 * columns (declared types first, else inferred), so a value of the wrong type rejects its row too.
 */
export async function readJsonLines(
  db: Session,
  files: string[],
  declared: Map<string, string>,
  checkDeclared: (names: string[]) => void,
): Promise<void> {
  await db.run('CREATE TABLE jsonl_lines (__file INTEGER, __row BIGINT, text VARCHAR, ok BOOLEAN)');
  for (const [i, file] of files.entries()) {
    await db.run(
      `INSERT INTO jsonl_lines
       SELECT ${i}, t.n, t.line, CASE WHEN json_valid(t.line) THEN json_type(t.line) = 'OBJECT' ELSE false END
       FROM (SELECT rtrim(s, chr(13)) AS line, n
             FROM read_text(${str(file)}), unnest(string_split(content, chr(10))) WITH ORDINALITY AS u(s, n)) t
       WHERE trim(t.line) <> ''`,
    );
  }
  await db.run(
    `INSERT INTO rejects SELECT 0, __file, NULL, __row,
       CASE WHEN json_valid(text) THEN 'not a JSON object' ELSE 'not valid JSON' END, text
     FROM jsonl_lines WHERE NOT ok`,
  );
  const [structure] = await db.rows('SELECT json_group_structure(text::JSON) AS s FROM jsonl_lines WHERE ok');
  const names = structure?.s ? Object.keys(JSON.parse(String(structure.s)) as object) : [];
  if (names.length === 0) throw new PrepError(PrepErrors.BadInput, `${files.join(', ')}: no JSON object to read`);
  const reserved = names.filter((n) => n.startsWith('__'));
  if (reserved.length > 0) {
    throw new PrepError(PrepErrors.BadInput, `JSON keys must not start with "__" (found ${reserved.join(', ')})`);
  }
  checkDeclared(names);
  const values = names.map((n) => `json_extract_string(text, ${str(`$.${JSON.stringify(n)}`)}) AS ${ident(n)}`);
  await db.run(`CREATE TABLE jsonl_values AS SELECT __file, __row, ${values.join(', ')} FROM jsonl_lines WHERE ok`);
  await db.run('DROP TABLE jsonl_lines');
  await db.run(`CREATE VIEW jsonl_sample AS SELECT * FROM jsonl_values LIMIT ${sampleRows}`);
  const inferred = await inferTypes(
    db,
    'jsonl_sample',
    names.filter((n) => !declared.has(n)),
  );
  const casts = new Map(names.map((n) => [n, declared.get(n) ?? inferred.get(n) ?? 'VARCHAR']));
  await castWithRejects(db, { from: 'jsonl_values', to: 'input', kind: 'TABLE', casts, stage: 0, delimiter: ',' });
}

/** Reads Parquet files into `input` by column name; `__row` is the row's number in its file, from 1. */
export async function readParquet(
  db: Session,
  files: string[],
  declared: Map<string, string>,
  checkDeclared: (names: string[]) => void,
): Promise<void> {
  for (const [i, file] of files.entries()) {
    const select = `SELECT ${i}::INTEGER AS __file, file_row_number + 1 AS __row, * EXCLUDE (file_row_number)
      FROM read_parquet(${str(file)}, file_row_number = true)`;
    await db.run(i === 0 ? `CREATE TABLE parquet_rows AS ${select}` : `INSERT INTO parquet_rows BY NAME ${select}`);
  }
  const names = (await db.columns('parquet_rows')).map((c) => c.name);
  checkDeclared(names);
  await castWithRejects(db, {
    from: 'parquet_rows',
    to: 'input',
    kind: 'TABLE',
    casts: declared,
    stage: 0,
    delimiter: ',',
  });
}
