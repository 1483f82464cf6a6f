/**
 * How an endpoint's config is stored (with every model reference resolved, so a restart serves the very files it
 * served before even if a registry alias has moved) and how an endpoint is shown by describe and list.
 */
import type { EndpointRecord } from '../store/index.js';
import type { CaptureConfig, EndpointConfig, EndpointStatus, VariantConfig } from './config.js';
import type { ResolvedModel } from './model-ref.js';
import type { RoutingTable } from './routing-table.js';

/** The config as the store keeps it: each variant with the model file it resolved to. */
export interface StoredConfig {
  variants: (VariantConfig & { modelPath: string; modelFormat: string })[];
  capture: CaptureConfig;
}

export function storedConfig(config: EndpointConfig, models: ResolvedModel[]): StoredConfig {
  return {
    variants: config.variants.map((v, i) => ({ ...v, modelPath: models[i]!.path, modelFormat: models[i]!.format })),
    capture: config.capture,
  };
}

/** The config and resolved models back from the store's JSON text (written by `storedConfig`). */
export function readStoredConfig(text: string): { config: EndpointConfig; models: ResolvedModel[] } {
  const stored = JSON.parse(text) as StoredConfig;
  return {
    config: {
      variants: stored.variants.map(({ name, model, weight, replicas }) => ({ name, model, weight, replicas })),
      capture: stored.capture,
    },
    models: stored.variants.map((v) => ({ ref: v.model, path: v.modelPath, format: v.modelFormat })),
  };
}

export interface VariantView {
  name: string;
  /** As the config wrote it (a file path or `group:version`). */
  model: string;
  /** The model file it resolved to. */
  modelPath: string;
  weight: number;
  replicas: number;
  /** Replicas answering now (0 unless this variant serves). */
  replicasUp: number;
  replicaPids: number[];
}

export interface EndpointView {
  name: string;
  status: EndpointStatus;
  failureReason: string | null;
  /** Where to POST invocations (no token needed). */
  invocationUrl: string;
  variants: VariantView[];
  /** The variants an update is bringing up, while Updating or RollingBack. */
  pendingVariants: VariantView[] | null;
  capture: CaptureConfig;
  createdAt: string;
  updatedAt: string;
}

function variantViews(stored: StoredConfig, table: RoutingTable | null): VariantView[] {
  return stored.variants.map((v) => {
    const live = table?.variants.find((l) => l.name === v.name);
    const pool = live?.pool;
    return {
      name: v.name,
      model: v.model,
      modelPath: v.modelPath,
      weight: v.weight,
      replicas: v.replicas,
      replicasUp: pool?.replicasUp ?? 0,
      replicaPids: pool?.pids() ?? [],
    };
  });
}

/** The describe answer for `record`, with live replica counts from `table` (the routing table that serves). */
export function endpointView(record: EndpointRecord, table: RoutingTable | null, baseUrl: string): EndpointView {
  const stored = JSON.parse(record.config) as StoredConfig;
  return {
    name: record.name,
    status: record.status,
    failureReason: record.failureReason,
    invocationUrl: `${baseUrl}/endpoints/${record.name}/invocations`,
    variants: variantViews(stored, table),
    pendingVariants: record.pendingConfig === null ? null : variantViews(JSON.parse(record.pendingConfig), null),
    capture: stored.capture,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
