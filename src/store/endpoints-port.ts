/**
 * The endpoints part of the store port: one record per model endpoint, reached as `store.endpoints`. The store keeps
 * configs as JSON text and does not look inside; the endpoint service (src/serving) owns their shape.
 */

/** As SageMaker spells them. */
export type EndpointStatus = 'Creating' | 'InService' | 'Updating' | 'RollingBack' | 'Failed' | 'Deleting';

export interface EndpointRecord {
  /** Unique. */
  name: string;
  status: EndpointStatus;
  /** The config that serves, or that a create is bringing up (JSON text). */
  config: string;
  /** The config an update is bringing up, while Updating or RollingBack (JSON text); else null. */
  pendingConfig: string | null;
  /** Why the endpoint is Failed, or why its last update was rolled back; null otherwise. */
  failureReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface EndpointStore {
  /** Throws AlreadyExists when the name is taken. */
  createEndpoint(record: EndpointRecord): Promise<void>;
  getEndpoint(name: string): Promise<EndpointRecord | undefined>;
  /** Every endpoint, by name. */
  listEndpoints(): Promise<EndpointRecord[]>;
  /** Replaces status, config, pendingConfig, failureReason and updatedAt (createdAt stays). Throws NotFound. */
  saveEndpoint(record: EndpointRecord): Promise<void>;
  /** Throws NotFound. */
  deleteEndpoint(name: string): Promise<void>;
}
