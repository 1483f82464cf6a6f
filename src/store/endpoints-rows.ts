/** Endpoint rows and their mapping to the port's records, shared by both implementations. */
import type { EndpointRecord, EndpointStatus } from './endpoints-port.js';

type BigIntColumn = number | string;
const int = (value: BigIntColumn): number => (typeof value === 'number' ? value : Number(value));

export interface EndpointRow {
  name: string;
  status: EndpointStatus;
  config: string;
  pending_config: string | null;
  failure_reason: string | null;
  created_at: BigIntColumn;
  updated_at: BigIntColumn;
}

export const ENDPOINT_COLUMNS = 'name, status, config, pending_config, failure_reason, created_at, updated_at';

export const toEndpoint = (row: EndpointRow): EndpointRecord => ({
  name: row.name,
  status: row.status,
  config: row.config,
  pendingConfig: row.pending_config,
  failureReason: row.failure_reason,
  createdAt: int(row.created_at),
  updatedAt: int(row.updated_at),
});

/** The columns a save replaces, in statement order, then the name. */
export const savedValues = (r: EndpointRecord): [string, string, string | null, string | null, number, string] => [
  r.status,
  r.config,
  r.pendingConfig,
  r.failureReason,
  r.updatedAt,
  r.name,
];
