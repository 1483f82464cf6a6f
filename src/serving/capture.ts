/**
 * Data capture for the drift monitor, in SageMaker's format: JSON Lines under
 * `<root>/<endpoint>/<variant>/yyyy/mm/dd/hh/<mm-ss-SSS>-<uuid>.jsonl` (UTC), one invocation a line.
 *
 * Records of one replica answer are buffered and written with one `writeSync` before any of those responses is
 * sent: the write lands in the OS page cache (no fsync), which outlives a crash of this process, so a record whose
 * response went out is lost only if the machine itself goes down, and no request ever waits on the disk.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureConfig } from './config.js';

/** One side of an invocation as captured: the content type as sent, the data, and how it is encoded. */
export interface CaptureSide {
  contentType: string;
  data: string;
  /** `CSV` and `JSON` data is the text itself; other content types would be `BASE64`. */
  encoding: 'CSV' | 'JSON' | 'BASE64';
}

export interface CaptureStreamOptions {
  root: string;
  endpoint: string;
  variant: string;
  config: CaptureConfig;
  /** A failed write (disk full, ...): the records are counted lost, the invocations still succeed. */
  onError: (error: Error, lostRecords: number) => void;
  /** Epoch ms; a parameter for tests. */
  now?: () => number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The capture of one endpoint variant. Not thread-safe; one per variant of a live routing table. */
export class CaptureStream {
  readonly #options: CaptureStreamOptions;
  readonly #fraction: number;
  readonly #now: () => number;
  #pending = '';
  #pendingCount = 0;
  #pendingHour = 0;
  #fd = -1;
  #fdHour = -1;
  #second = -1;
  #secondText = '';

  constructor(options: CaptureStreamOptions) {
    this.#options = options;
    this.#fraction = options.config.enabled ? options.config.samplingPercentage / 100 : 0;
    this.#now = options.now ?? Date.now;
  }

  get capturesInput(): boolean {
    return this.#options.config.captureInput;
  }

  get capturesOutput(): boolean {
    return this.#options.config.captureOutput;
  }

  /** Whether to capture the next invocation (the sampling percentage, decided per invocation). */
  sample(): boolean {
    return this.#fraction > 0 && (this.#fraction >= 1 || Math.random() < this.#fraction);
  }

  /** Buffers one record; `flush` writes it. */
  add(input: CaptureSide | null, output: CaptureSide | null, inferenceId?: string): void {
    const now = this.#now();
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#secondText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
    }
    if (this.#pendingCount === 0) this.#pendingHour = Math.floor(now / 3_600_000);
    let sides = '';
    if (input !== null && this.capturesInput) sides = `"endpointInput":${side(input, 'INPUT')}`;
    if (output !== null && this.capturesOutput) {
      sides += `${sides === '' ? '' : ','}"endpointOutput":${side(output, 'OUTPUT')}`;
    }
    const id = inferenceId === undefined ? '' : `,"inferenceId":${JSON.stringify(inferenceId)}`;
    this.#pending +=
      `{"captureData":{${sides}},"eventMetadata":{"eventId":"${randomUUID()}",` +
      `"inferenceTime":"${this.#secondText}"${id}},"eventVersion":"0"}\n`;
    this.#pendingCount++;
  }

  /** Writes the buffered records to the OS (no fsync). Call before sending the responses they belong to. */
  flush(): void {
    if (this.#pendingCount === 0) return;
    const text = this.#pending;
    const count = this.#pendingCount;
    this.#pending = '';
    this.#pendingCount = 0;
    try {
      writeSync(this.#fileFor(this.#pendingHour), text);
    } catch (error) {
      this.#options.onError(error as Error, count);
    }
  }

  close(): void {
    this.flush();
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #fileFor(hour: number): number {
    if (hour === this.#fdHour && this.#fd >= 0) return this.#fd;
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    const now = new Date(Math.max(hour * 3_600_000, Math.min(this.#now(), hour * 3_600_000 + 3_599_999)));
    const folder = join(
      this.#options.root,
      this.#options.endpoint,
      this.#options.variant,
      String(now.getUTCFullYear()),
      pad(now.getUTCMonth() + 1),
      pad(now.getUTCDate()),
      pad(now.getUTCHours()),
    );
    mkdirSync(folder, { recursive: true });
    const name = `${pad(now.getUTCMinutes())}-${pad(now.getUTCSeconds())}-${pad(now.getUTCMilliseconds(), 3)}-${randomUUID()}.jsonl`;
    this.#fd = openSync(join(folder, name), 'a');
    this.#fdHour = hour;
    return this.#fd;
  }
}

/** The JSON of one side up to its data, by content type and mode: the same few texts for every record. */
const sideHeads = new Map<string, string>();

function side(s: CaptureSide, mode: 'INPUT' | 'OUTPUT'): string {
  const key = `${mode}${s.encoding}${s.contentType}`;
  let head = sideHeads.get(key);
  if (head === undefined) {
    head = `{"observedContentType":${JSON.stringify(s.contentType)},"mode":"${mode}","data":`;
    if (sideHeads.size < 64) sideHeads.set(key, head);
  }
  return `${head}${JSON.stringify(s.data)},"encoding":"${s.encoding}"}`;
}
