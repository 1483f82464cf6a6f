/**
 * Model endpoints: the control plane (EndpointService: create, update, describe, list, delete, restore on start),
 * the data plane (an HTTP listener for invocations, replicas in child processes), data capture, metrics, and the
 * endpoint task resources for workflows. See docs/endpoints.md.
 */
export {
  CAPTURE_OFF,
  type CaptureConfig,
  DEFAULT_VARIANT,
  ENDPOINT_STATUSES,
  type EndpointConfig,
  type EndpointStatus,
  InvalidEndpointConfig,
  parseEndpointConfig,
  singleModelConfig,
  type VariantConfig,
} from './config.js';
export { EndpointService, type EndpointServiceOptions } from './endpoint-service.js';
export type { EndpointView, VariantView } from './endpoint-view.js';
export { EndpointError, type EndpointErrorCode, EndpointErrors, InvocationError } from './errors.js';
export { attachFastFront, createFastFront, type FastFront, type FastFrontOptions } from './fast-front.js';
export {
  createInvocationListener,
  DEFAULT_MAX_BODY_BYTES,
  type InvocationListener,
  type InvocationListenerOptions,
} from './invocation-listener.js';
export {
  createInvoker,
  type EndpointRoutes,
  type InvocationRequest,
  type Invoke,
  type InvokerOptions,
  type Reply,
} from './invoker.js';
export type { WindowView } from './metrics.js';
export { MetricsRegistry, type VariantWindows } from './metrics-registry.js';
export {
  type LoadedModel,
  MODEL_LOADERS,
  type ModelLoader,
  type ModelSignature,
  xgboostJsonLoader,
} from './model-loader.js';
export type { ModelResolver, ResolvedModel } from './model-ref.js';
export { createEndpointRunners, ENDPOINT_RESOURCES } from './task-runners.js';
