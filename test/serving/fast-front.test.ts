/**
 * The data plane's fast path, spoken to over raw sockets: what it serves itself, what it hands to node:http, and that
 * answers keep request order across the two on one connection.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Host, MODEL_A, serving, startHost, testRows } from './support.js';

let host: Host;
let port: number;
const { rows, a } = testRows(3);

beforeAll(async () => {
  host = await startHost();
  port = Number(new URL(host.url).port);
  await host.service.create(
    'churn',
    serving.parseEndpointConfig({ variants: [{ name: 'main', model: MODEL_A }] }, 't'),
  );
  expect((await host.service.waitUntilSettled('churn', 20_000)).status).toBe('InService');
});

afterAll(async () => {
  await host?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw connection that sends bytes as given and reads answers one after another. */
class RawClient {
  readonly socket: Socket;
  #received = Buffer.alloc(0);
  #ended = false;
  #wake: () => void = () => {};

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#wake();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  static open(): Promise<RawClient> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The next whole answer (Content-Length, chunked, or up to the close). */
  async next(): Promise<Answer> {
    for (;;) {
      const answer = this.#take();
      if (answer !== undefined) return answer;
      if (this.#ended) throw new Error(`connection closed; received ${this.#received.toString('latin1')}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #take(): Answer | undefined {
    const data = this.#received;
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = data.toString('latin1', 0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    let body: Buffer;
    let used: number;
    if (headers['content-length'] !== undefined) {
      used = end + 4 + Number(headers['content-length']);
      if (data.length < used) return undefined;
      body = data.subarray(end + 4, used);
    } else if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = data.indexOf('\r\n', at);
        if (lineEnd < 0) return undefined;
        const size = Number.parseInt(data.toString('latin1', at, lineEnd), 16);
        if (data.length < lineEnd + 2 + size + 2) return undefined;
        parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
      used = at;
    } else {
      if (!this.#ended) return undefined;
      body = data.subarray(end + 4);
      used = data.length;
    }
    this.#received = data.subarray(used);
    return { status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8') };
  }
}

const invocation = (row: string, extra = ''): string =>
  `POST /endpoints/churn/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n${extra}` +
  `Content-Length: ${Buffer.byteLength(row)}\r\n\r\n${row}`;

const near = (text: string, expected: number): void =>
  expect(Math.abs(Number(text.trim()) - expected)).toBeLessThan(1e-6);

describe('data plane fast path', () => {
  it('answers pipelined invocations in request order, on one keep-alive connection', async () => {
    const client = await RawClient.open();
    client.send(invocation(rows[0]!) + invocation(rows[1]!) + invocation(rows[2]!));
    for (const expected of a) {
      const answer = await client.next();
      expect([answer.status, answer.headers['content-type'], answer.headers['x-flywheel-invoked-variant']]).toEqual([
        200,
        'text/csv; charset=utf-8',
        'main',
      ]);
      near(answer.body, expected);
    }
    client.send(invocation(rows[0]!));
    near((await client.next()).body, a[0]!);
    client.socket.destroy();
  });

  it('reads a deep pipeline in turns (32 requests ahead of their answers at most) and answers all of it in order', async () => {
    const client = await RawClient.open();
    client.send(Array.from({ length: 100 }, (_, i) => invocation(rows[i % 3]!)).join(''));
    for (let i = 0; i < 100; i++) near((await client.next()).body, a[i % 3]!);
    client.socket.destroy();
  });

  it('closes a keep-alive connection idle for 5 s after its last answer, as node:http does', async () => {
    const client = await RawClient.open();
    client.send(invocation(rows[0]!));
    near((await client.next()).body, a[0]!);
    const answeredAt = performance.now();
    await new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    expect(performance.now() - answeredAt).toBeGreaterThan(4_500);
  });

  it('reads a request that arrives a few bytes at a time', async () => {
    const client = await RawClient.open();
    const bytes = Buffer.from(invocation(rows[1]!));
    for (let at = 0; at < bytes.length; at += 7) {
      client.send(bytes.subarray(at, at + 7));
      await new Promise((r) => setImmediate(r));
    }
    near((await client.next()).body, a[1]!);
    client.socket.destroy();
  });

  it('hands other requests to node:http in order, and node:http keeps the connection', async () => {
    const client = await RawClient.open();
    const ping = 'GET /endpoints/churn/ping HTTP/1.1\r\nHost: x\r\n\r\n';
    client.send(invocation(rows[0]!) + ping + invocation(rows[2]!));
    const first = await client.next();
    near(first.body, a[0]!);
    expect(await client.next()).toMatchObject({ status: 200, body: '{"status":"InService"}' });
    near((await client.next()).body, a[2]!); // served by node:http's listener now
    const chunked =
      'POST /endpoints/churn/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n' +
      `Transfer-Encoding: chunked\r\n\r\n5\r\n${rows[1]!.slice(0, 5)}\r\n` +
      `${(rows[1]!.length - 5).toString(16)}\r\n${rows[1]!.slice(5)}\r\n0\r\n\r\n`;
    client.send(chunked);
    near((await client.next()).body, a[1]!);
    client.socket.destroy();
  });

  it('leaves what it does not fully understand to node:http: bad framing, huge heads, duplicate lengths', async () => {
    const cases: [string, number][] = [
      ['GARBAGE\r\n\r\n', 400],
      [`POST /endpoints/churn/invocations HTTP/1.1\nHost: x\nContent-Length: 1\n\n1`, 400], // bare LF line ends
      [`POST /endpoints/churn/invocations HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      [
        'POST /endpoints/churn/invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n' +
          'Content-Length: 3\r\nContent-Length: 4\r\n\r\n1,2,3',
        400,
      ],
      [`POST /endpoints/churn/invocations HTTP/1.1\r\nContent-Type: text/csv\r\nContent-Length: 1\r\n\r\n1`, 400],
      [
        invocation(rows[0]!, 'X-Bad: a\u0001b\r\n'), // a valid row: only node:http's header check refuses it
        400,
      ],
    ];
    for (const [request, status] of cases) {
      const client = await RawClient.open();
      client.send(request);
      expect((await client.next()).status, request.slice(0, 60)).toBe(status);
      client.socket.destroy();
    }
  });

  it('refuses client mistakes with the same 4xx as node:http, and closes when asked', async () => {
    const client = await RawClient.open();
    client.send(invocation('1,2,3'));
    const refused = await client.next();
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).message).toMatch(/3 values but the model expects 19 features/);
    client.send(invocation(rows[0]!, 'Connection: close\r\n'));
    const last = await client.next();
    expect([last.status, last.headers.connection]).toEqual([200, 'close']);
    await new Promise<void>((resolve) => (client.ended ? resolve() : client.socket.once('close', () => resolve())));
    expect(client.ended).toBe(true);
  });
});
