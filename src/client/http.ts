import { ApiError } from './client.js';

export interface RawInit {
  body?: NonNullable<RequestInit['body']>;
  headers?: Record<string, string>;
}

/** A request whose body or answer is not JSON (artifact bytes): the raw Response, or ApiError for a non-2xx one. */
export async function fetchRaw(
  baseUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  init: RawInit = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  // duplex: Node's fetch needs it to stream an upload body.
  const body = init.body === undefined ? {} : { body: init.body, duplex: 'half' };
  const response = await fetch(new URL(path, baseUrl), { method, headers, ...body } as RequestInit).catch(
    (error: Error) => {
      throw new Error(
        `cannot reach the Flywheel server at ${baseUrl} (${error.cause ?? error.message}); start it with "flywheel server"`,
      );
    },
  );
  if (response.ok) return response;
  const text = await response.text();
  let parsed: { error?: string; message?: string } | null = null;
  try {
    parsed = JSON.parse(text) as { error?: string; message?: string };
  } catch {
    // not JSON: keep the status as the message
  }
  const message = parsed?.message ?? `${method} ${path} answered ${response.status}`;
  throw new ApiError(response.status, parsed?.error ?? 'Error', message, parsed);
}

/** One URL path segment. */
export const seg = (value: string | number): string => encodeURIComponent(value);

/** `?a=1&b=2` of the defined values, or ''. */
export function queryString(values: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.set(k, String(v));
  return params.size > 0 ? `?${params}` : '';
}
