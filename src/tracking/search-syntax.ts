/**
 * The run-search language, parsed into the store's RunFilter / RunOrder data (no SQL is ever built from the text).
 *
 *   filter   := condition ( AND condition )*
 *   condition:= field op value
 *   field    := params.<key> | tags.<key> | metrics.<key> | status | name   (<key> may be `back-quoted`)
 *   op       := = | != | < | <= | > | >=        (params, tags, status, name: only = and !=)
 *   value    := 'text' ('' is a quote) | "text" | number
 *   order    := metrics.<key> [ASC|DESC] | startedAt [ASC|DESC]     (default ASC)
 *
 * @example parseRunFilter("params.max_depth = '6' and metrics.auc > 0.8 and tags.stage = 'prod'")
 */
import type { RunFilter, RunOrder } from '../store/index.js';
import { InvalidInput } from './errors.js';

type Token = { kind: 'word' | 'text' | 'number' | 'op'; text: string; at: number };

const WORD = /[A-Za-z0-9_.:@/-]/;

function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new InvalidInput(`${what}: ${message} at position ${i + 1} of ${JSON.stringify(source)}`);
  };
  while (i < source.length) {
    const c = source[i]!;
    const at = i;
    if (/\s/.test(c)) i++;
    else if (c === "'" || c === '"') {
      let text = '';
      for (i++; ; i++) {
        if (i >= source.length) fail(`unterminated ${c === "'" ? 'single' : 'double'}-quoted text`);
        if (source[i] === c && source[i + 1] === c) {
          text += c;
          i++;
        } else if (source[i] === c) break;
        else text += source[i];
      }
      i++;
      tokens.push({ kind: 'text', text, at });
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) fail('unterminated `back-quoted` key');
      tokens.push({ kind: 'word', text: source.slice(i + 1, end), at });
      i = end + 1;
    } else if (/[<>=!]/.test(c)) {
      const op = /^(<=|>=|!=|=|<|>)/.exec(source.slice(i))?.[0] ?? fail(`unknown operator "${c}"`);
      tokens.push({ kind: 'op', text: op, at });
      i += op.length;
    } else if (WORD.test(c)) {
      while (i < source.length && (WORD.test(source[i]!) || source[i] === '`')) {
        if (source[i] === '`') {
          const end = source.indexOf('`', i + 1);
          if (end < 0) fail('unterminated `back-quoted` key');
          i = end + 1;
        } else i++;
      }
      const raw = source.slice(at, i);
      const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw);
      tokens.push({ kind: number ? 'number' : 'word', text: raw, at });
    } else fail(`unexpected "${c}"`);
  }
  return tokens;
}

/** `params.x`, `tags.x`, `metrics.x` (also singular), `status`, `name`; the key may be back-quoted. */
function field(token: Token, what: string): { on: RunFilter['on']; key: string } {
  const m = /^(params?|tags?|metrics?|attributes?|run)\.(.+)$/i.exec(token.text);
  const attribute = (m ? m[2]! : token.text).replace(/^`(.*)`$/, '$1');
  if (!m || /^(attributes?|run)$/i.test(m[1]!)) {
    if (attribute === 'status' || attribute === 'name') return { on: 'attribute', key: attribute };
    throw new InvalidInput(
      `${what}: unknown field "${token.text}" at position ${token.at + 1}; use params.<key>, tags.<key>, ` +
        'metrics.<key>, status or name',
    );
  }
  const kind = m[1]!.toLowerCase().replace(/s$/, '');
  return { on: kind as 'param' | 'tag' | 'metric', key: m[2]!.replace(/^`(.*)`$/, '$1') };
}

/** Parses a filter; an empty or blank text is no filter. */
export function parseRunFilter(source: string): RunFilter[] {
  const what = 'filter';
  const tokens = tokenize(source, what);
  const filters: RunFilter[] = [];
  let i = 0;
  const expect = (kinds: Token['kind'][], wanted: string): Token => {
    const t = tokens[i++];
    if (t === undefined || !kinds.includes(t.kind)) {
      const where = t ? `"${t.text}" at position ${t.at + 1}` : 'the end';
      throw new InvalidInput(`${what}: expected ${wanted} but found ${where} in ${JSON.stringify(source)}`);
    }
    return t;
  };
  while (i < tokens.length) {
    if (filters.length > 0 && !/^and$/i.test(expect(['word'], 'AND').text)) {
      throw new InvalidInput(`${what}: conditions are joined with AND (found "${tokens[i - 1]!.text}")`);
    }
    const f = field(expect(['word'], 'a field such as params.max_depth'), what);
    const op = expect(['op'], 'an operator (=, !=, <, <=, >, >=)').text as '=' | '!=' | '<' | '<=' | '>' | '>=';
    const value = expect(['text', 'number'], 'a value (a number or quoted text)');
    if (f.on === 'metric') {
      if (value.kind !== 'number') {
        throw new InvalidInput(`${what}: metrics.${f.key} compares with a number, not '${value.text}'`);
      }
      filters.push({ on: 'metric', key: f.key, op, value: Number(value.text) });
    } else {
      if (op !== '=' && op !== '!=') {
        throw new InvalidInput(`${what}: ${f.on === 'attribute' ? f.key : `${f.on}s.${f.key}`} takes = or != only`);
      }
      if (f.on === 'attribute')
        filters.push({ on: 'attribute', key: f.key as 'status' | 'name', op, value: value.text });
      else filters.push({ on: f.on, key: f.key, op, value: value.text });
    }
  }
  return filters;
}

/** Parses an ordering such as `metrics.auc DESC`. */
export function parseRunOrder(source: string): RunOrder {
  const what = 'order';
  const tokens = tokenize(source, what);
  const [first, direction, extra] = tokens;
  const descending = direction !== undefined && /^desc$/i.test(direction.text);
  if (
    first === undefined ||
    extra !== undefined ||
    (direction !== undefined && !/^(asc|desc)$/i.test(direction.text))
  ) {
    throw new InvalidInput(
      `${what} must be "metrics.<key> [ASC|DESC]" or "startedAt [ASC|DESC]" (got ${JSON.stringify(source)})`,
    );
  }
  if (/^(started_?at|start_time)$/i.test(first.text)) return { by: 'startedAt', descending };
  const f = field(first, what);
  if (f.on !== 'metric') throw new InvalidInput(`${what}: runs order by a metric or startedAt (got "${first.text}")`);
  return { by: 'metric', key: f.key, descending };
}
