import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mulberry32 } from '../gbdt/index.js';

/** The raw columns of the example churn data, named as in the original telecom data set. */
export const churnColumns = [
  'State',
  'Account Length',
  'Area Code',
  'International Plan',
  'Voice Mail Plan',
  'Number Vmail Messages',
  'Day Mins',
  'Day Calls',
  'Day Charge',
  'Eve Mins',
  'Eve Calls',
  'Eve Charge',
  'Night Mins',
  'Night Calls',
  'Night Charge',
  'Intl Mins',
  'Intl Calls',
  'Intl Charge',
  'CustServ Calls',
  'Churn?',
] as const;

export interface ChurnDataOptions {
  rows: number;
  seed: number;
}

const states =
  'AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY'.split(
    ' ',
  );

/**
 * Yields the CSV lines (header first) of synthetic churn data. Churn is learnable but noisy: its log-odds rise
 * with 4+ customer-service calls, many day minutes and an international plan, and fall with a voice-mail plan;
 * about 14% of customers churn ("True."), the rest do not ("False."). The same options give the same lines.
 */
/** Sets the churn rate near 14%. */
const INTERCEPT = -3.6;

export function* churnLines({ rows, seed }: ChurnDataOptions): Generator<string> {
  const random = mulberry32(seed);
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const poisson = (mean: number) => {
    let k = 0;
    for (let p = random(); p > Math.exp(-mean); p *= random()) k += 1;
    return k;
  };
  const positive = (x: number) => Math.max(0, x);
  yield churnColumns.join(',');
  for (let i = 0; i < rows; i++) {
    const state = states[Math.floor(random() * states.length)] ?? 'CA';
    const accountLength = Math.max(1, Math.round(normal(101, 40)));
    const areaCode = [408, 415, 415, 510][Math.floor(random() * 4)] ?? 415;
    const intlPlan = random() < 0.1;
    const vmailPlan = random() < 0.28;
    const vmailMessages = vmailPlan ? Math.max(1, Math.round(normal(29, 8))) : 0;
    const dayMins = positive(normal(180, 54));
    const eveMins = positive(normal(201, 51));
    const nightMins = positive(normal(201, 51));
    const intlMins = positive(normal(10.2, 2.8));
    const custServ = poisson(1.56);
    // Threshold effects and interactions like the original telecom data's (heavy day use, many service calls
    // from light users, international plans with long calls), so boosted trees reach a test AUC near 0.9.
    const logOdds =
      INTERCEPT +
      (custServ >= 4 ? (dayMins < 190 ? 5.0 : 1.5) : 0) +
      (dayMins > 245 ? 4.5 : 0.015 * (dayMins - 180)) +
      (intlPlan ? (intlMins > 12 ? 5.0 : 1.5) : 0) -
      (vmailPlan ? 1.5 : 0) +
      0.006 * (eveMins - 200) +
      normal(0, 0.3);
    const churn = random() < 1 / (1 + Math.exp(-logOdds));
    yield [
      state,
      accountLength,
      areaCode,
      intlPlan ? 'yes' : 'no',
      vmailPlan ? 'yes' : 'no',
      vmailMessages,
      dayMins.toFixed(1),
      Math.round(positive(normal(100, 20))),
      (dayMins * 0.17).toFixed(2),
      eveMins.toFixed(1),
      Math.round(positive(normal(100, 20))),
      (eveMins * 0.085).toFixed(2),
      nightMins.toFixed(1),
      Math.round(positive(normal(100, 20))),
      (nightMins * 0.045).toFixed(2),
      intlMins.toFixed(1),
      poisson(4.5),
      (intlMins * 0.27).toFixed(2),
      custServ,
      churn ? 'True.' : 'False.',
    ].join(',');
  }
}

/**
 * Synthetic churn data as CSV text with a header line.
 * @example generateChurnData({ rows: 3333, seed: 42 })
 */
export function generateChurnData(options: ChurnDataOptions): string {
  return `${[...churnLines(options)].join('\n')}\n`;
}

/** Writes synthetic churn data to `file` (creating its folder), streaming: any row count fits in memory. */
export async function writeChurnData(file: string, options: ChurnDataOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  function* batches(): Generator<string> {
    let batch: string[] = [];
    for (const line of churnLines(options)) {
      batch.push(line);
      if (batch.length === 10_000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
  }
  await pipeline(Readable.from(batches()), createWriteStream(file));
}
