/**
 * Tracking: experiments, runs, metrics, lineage and run search; the model registry with approvals, aliases and
 * events; the task resources a workflow uses to record them. Services over the store port and the artifact port.
 */
export { compareRuns, directionOf, type MetricComparison, type RunComparison } from './compare.js';
export { InvalidInput } from './errors.js';
export { canonicalJson, configHash, type GitLineage, gitLineage } from './lineage.js';
export { createMetricsSink, flattenRoundMetrics, type MetricsSink, type MetricsSinkOptions } from './metrics-sink.js';
export {
  APPROVAL_TRANSITIONS,
  type ChangeRequest,
  type RegisterModelRequest,
  RegistryService,
} from './registry-service.js';
export { parseRunFilter, parseRunOrder } from './search-syntax.js';
export { createTrackingServices, type TrackingServices, type TrackingServicesOptions } from './services.js';
export { registerTrackingRunners, TRACKING_RESOURCES } from './task-resources.js';
export {
  type LineageInput,
  type RunArtifactRequest,
  type RunSearchRequest,
  type StartRunRequest,
  TrackingService,
} from './tracking-service.js';
export { MAX_BATCH, type MetricInput } from './validate.js';
