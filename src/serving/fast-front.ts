/**
 * The data plane's own HTTP/1.1 reader and writer, for the one request that is hot: `POST /endpoints/<name>/invocations`
 * over HTTP/1.1 with a Content-Length body. Measured on this project's 2-core VM (bench/serving/ceiling.mjs), Node's
 * HTTP machinery costs ~11 µs a request and a plain TCP server with this reader ~8 µs, which is what lets a
 * process-isolated endpoint reach 75 % of a bare node:http server.
 *
 * Everything else on the port (the REST API, ping, metrics, chunked bodies, `Expect`, HTTP/1.0, an oversized body,
 * anything unusual or malformed) is handed from the first byte of that request on to node:http, which then keeps the
 * connection: the fast path answers only what it fully understands, and node:http stays the judge of the rest.
 * Responses leave in request order (pipelining), and a request for node:http waits until the ones before it are
 * answered.
 */
import { maxHeaderSize, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { errorBody } from './errors.js';
import { ENDPOINT_PATH, type Invoke, type Reply } from './invoker.js';
import { JSON_TYPE } from './live-variant.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CR = 13;
const LF = 10;
/** The largest request head node:http reads (its setting), and how long it keeps an idle connection open (its default). */
const MAX_HEAD_BYTES = maxHeaderSize;
const KEEP_ALIVE_MS = 5000;
/** Requests read ahead of their answers on one connection, and answer bytes waiting for the client, before reading pauses. */
const MAX_PIPELINED = 32;
const MAX_UNSENT_BYTES = 1024 * 1024;
/** How long a request may sit half received without a byte arriving. */
const REQUEST_IDLE_MS = 60_000;

export interface FastFrontOptions {
  invoke: Invoke;
  /** Bodies over this go to node:http (which answers 413). */
  maxBodyBytes: number;
  /** Gives a connection, from the start of a request the fast path does not serve, to node:http. */
  handover: (stream: Duplex) => void;
}

export interface FastFront {
  accept(socket: Socket): void;
  /** Closes every connection the fast path holds (server shutdown). */
  closeAll(): void;
}

/** A request head the fast path serves. */
interface Head {
  name: string;
  headers: Map<string, string>;
  headBytes: number;
  bodyBytes: number;
  close: boolean;
}

/** The head in [0, end) (`end` at its blank line), or undefined when node:http should have the request. */
function parseHead(buf: Buffer, end: number, maxBodyBytes: number): Head | undefined {
  const text = buf.toString('latin1', 0, end);
  const lineEnd = text.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
  if (!requestLine.startsWith('POST ') || !requestLine.endsWith(' HTTP/1.1')) return undefined;
  const match = ENDPOINT_PATH.exec(requestLine.slice(5, -9));
  const name = match?.[1];
  if (name === undefined || match?.[2] !== 'invocations') return undefined;
  const headers = new Map<string, string>();
  let bodyBytes = -1;
  let close = false;
  for (let pos = lineEnd < 0 ? text.length : lineEnd + 2; pos < text.length; ) {
    let next = text.indexOf('\r\n', pos);
    if (next < 0) next = text.length;
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > next) return undefined;
    const key = text.slice(pos, colon).toLowerCase();
    const value = text.slice(colon + 1, next).trim();
    pos = next + 2;
    if (!TOKEN.test(key) || hasControl(value)) return undefined;
    if (key === 'content-length') {
      if (bodyBytes >= 0 || !/^\d{1,10}$/.test(value)) return undefined;
      bodyBytes = Number(value);
    } else if (key === 'transfer-encoding' || key === 'expect' || key === 'upgrade') return undefined;
    else if (key === 'connection') close = /(^|,)\s*close\s*(,|$)/i.test(value);
    if (!headers.has(key)) headers.set(key, value);
  }
  if (!headers.has('host') || bodyBytes > maxBodyBytes) return undefined;
  return { name, headers, headBytes: end + 4, bodyBytes: Math.max(0, bodyBytes), close };
}

/** A control character other than a tab: node:http refuses such a header value, so it judges this request. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

let dateSecond = -1;
let dateText = '';
/** The Date header's value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** A response waiting for the ones before it: its bytes once answered. */
interface Slot {
  data: string | [string, Buffer] | null;
}

class FastConnection {
  readonly #socket: Socket;
  readonly #options: FastFrontOptions;
  readonly #forget: () => void;
  /** Received bytes not yet taken by a request. */
  #chunks: Buffer[] = [];
  #size = 0;
  /** The head of a request whose body is still arriving. */
  #head: Head | null = null;
  #startedAt = 0;
  readonly #slots: Slot[] = [];
  /** `Connection: close` was asked: no more requests are read; the connection ends after the last answer. */
  #closing = false;
  /** A request for node:http waits until the answers before it are written. */
  #handingOver = false;
  /** Reading paused until the client takes the answers already written. */
  #awaitingDrain = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#read();
  };
  readonly #onTimeout = (): void => {
    this.#socket.destroy();
  };

  constructor(socket: Socket, options: FastFrontOptions, forget: () => void) {
    this.#socket = socket;
    this.#options = options;
    this.#forget = forget;
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('timeout', this.#onTimeout);
    socket.on('error', () => socket.destroy());
    socket.once('close', forget);
    socket.setTimeout(KEEP_ALIVE_MS);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /** Takes every whole request received, in order. */
  #read(): void {
    while (!this.#closing && !this.#handingOver && this.#size > 0) {
      // A client that pipelines without reading its answers is read no further until they are written.
      if (this.#slots.length >= MAX_PIPELINED || this.#socket.writableLength > MAX_UNSENT_BYTES) {
        this.#socket.pause();
        return;
      }
      if (this.#head === null) {
        const buf = this.#joined();
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0 || end > MAX_HEAD_BYTES) {
          // A head too long, or a line that ends in a bare LF (not HTTP/1.1): node:http answers it.
          const firstLf = buf.indexOf(LF);
          const bareLf = firstLf === 0 || (firstLf > 0 && buf[firstLf - 1] !== CR);
          if (end >= 0 || bareLf || buf.length > MAX_HEAD_BYTES) this.#handOver();
          else this.#socket.setTimeout(REQUEST_IDLE_MS);
          return;
        }
        const head = parseHead(buf, end, this.#options.maxBodyBytes);
        if (head === undefined) {
          this.#handOver();
          return;
        }
        this.#head = head;
        this.#startedAt = performance.now();
      }
      const total = this.#head.headBytes + this.#head.bodyBytes;
      if (this.#size < total) {
        this.#socket.setTimeout(REQUEST_IDLE_MS);
        return;
      }
      const buf = this.#joined();
      const head = this.#head;
      this.#head = null;
      const rest = buf.subarray(total);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#size = rest.length;
      if (head.close) this.#closing = true;
      this.#dispatch(head, buf.subarray(head.headBytes, total));
    }
  }

  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#size)];
    return this.#chunks[0]!;
  }

  #dispatch(head: Head, body: Buffer): void {
    const slot: Slot = { data: null };
    this.#slots.push(slot);
    this.#socket.setTimeout(0); // Answering is the replicas' business (their own watchdog), not an idle client's.
    const reply: Reply = { send: (status, type, data, variant) => this.#answer(slot, status, type, data, variant) };
    const header = (key: string): string | undefined => head.headers.get(key);
    try {
      this.#options.invoke({ name: head.name, header, body, startedAt: this.#startedAt }, reply);
    } catch (error) {
      this.#answer(slot, 500, JSON_TYPE, errorBody('InternalError', (error as Error).message));
    }
  }

  #answer(slot: Slot, status: number, type: string, body: string | Buffer, variant?: string): void {
    if (slot.data !== null) return;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    let head =
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\ncontent-type: ${type}\r\n` +
      `content-length: ${length}\r\ndate: ${httpDate()}\r\n`;
    if (variant !== undefined) {
      head += `x-flywheel-invoked-variant: ${variant}\r\nx-amzn-invoked-production-variant: ${variant}\r\n`;
    }
    const last = this.#closing && slot === this.#slots[this.#slots.length - 1];
    head += last ? 'connection: close\r\n\r\n' : 'connection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\n';
    slot.data = typeof body === 'string' ? head + body : [head, body];
    this.#flush();
  }

  /** Writes the answers at the front of the line; then ends, hands over, or waits idle, as the connection asks. */
  #flush(): void {
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.cork();
    while (this.#slots.length > 0 && this.#slots[0]!.data !== null) {
      const data = this.#slots.shift()!.data!;
      if (typeof data === 'string') socket.write(data);
      else {
        socket.write(data[0]);
        socket.write(data[1]);
      }
    }
    socket.uncork();
    if (socket.isPaused() && !this.#handingOver && this.#slots.length < MAX_PIPELINED) {
      if (socket.writableLength <= MAX_UNSENT_BYTES) this.#resume();
      else if (!this.#awaitingDrain) {
        this.#awaitingDrain = true;
        socket.once('drain', () => {
          this.#awaitingDrain = false;
          this.#resume();
        });
      }
    }
    if (this.#slots.length > 0) return;
    if (this.#closing) socket.end();
    else if (this.#handingOver) this.#handOver();
    else socket.setTimeout(this.#size > 0 ? REQUEST_IDLE_MS : KEEP_ALIVE_MS);
  }

  #resume(): void {
    if (this.#socket.destroyed || this.#handingOver) return;
    this.#socket.resume();
    this.#read();
  }

  /** Gives the connection to node:http from the request at the front of the received bytes on. */
  #handOver(): void {
    this.#handingOver = true;
    const socket = this.#socket;
    if (this.#slots.length > 0) {
      socket.pause();
      return;
    }
    socket.removeListener('data', this.#onData);
    socket.removeListener('timeout', this.#onTimeout);
    socket.setTimeout(0);
    this.#forget();
    const received = this.#size > 0 ? this.#joined() : Buffer.alloc(0);
    this.#chunks = [];
    this.#size = 0;
    this.#options.handover(new HandedOver(socket, received));
  }
}

/**
 * A connection as node:http gets it after a hand-over: the socket's stream, with the bytes already received put back
 * in front. node:http reads a plain stream through its 'data' events, so nothing it receives is read twice or lost.
 */
class HandedOver extends Duplex {
  readonly #socket: Socket;

  constructor(socket: Socket, received: Buffer) {
    super();
    this.#socket = socket;
    if (received.length > 0) this.push(received);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('timeout', () => this.emit('timeout'));
    socket.resume();
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy(error ?? undefined);
    callback(error);
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    this.#socket.setTimeout(ms);
    if (onTimeout !== undefined) this.once('timeout', onTimeout);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.#socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delay?: number): this {
    this.#socket.setKeepAlive(enable, delay);
    return this;
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  get localAddress(): string | undefined {
    return this.#socket.localAddress;
  }

  get localPort(): number | undefined {
    return this.#socket.localPort;
  }
}

export function createFastFront(options: FastFrontOptions): FastFront {
  const connections = new Set<FastConnection>();
  return {
    accept(socket) {
      const connection: FastConnection = new FastConnection(socket, options, () => connections.delete(connection));
      connections.add(connection);
    },
    closeAll() {
      for (const connection of connections) connection.destroy();
    },
  };
}

/**
 * Puts the fast path in front of a node:http server: every new connection starts on it, and node:http gets the ones
 * (from the request on) that the fast path hands over. Returns the front, whose `closeAll` a shutdown must call
 * besides the server's own `closeAllConnections`.
 */
export function attachFastFront(server: Server, options: Omit<FastFrontOptions, 'handover'>): FastFront {
  const nodeListeners = server.listeners('connection') as ((stream: Duplex) => void)[];
  server.removeAllListeners('connection');
  const front = createFastFront({
    ...options,
    handover: (stream) => {
      for (const listener of nodeListeners) listener.call(server, stream);
    },
  });
  server.on('connection', (socket: Socket) => front.accept(socket));
  return front;
}
