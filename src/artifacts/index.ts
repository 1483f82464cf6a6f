/**
 * The artifact module: the content-addressed port and its local-folder implementation. The contract suite
 * (`describeArtifactStore`) is the test-only entry `./contract.js`, as the store's is.
 */
export { ArtifactCorrupted, checkSha256, InvalidArtifactName, isSha256 } from './errors.js';
export { openLocalArtifactStore, writeFolderTree } from './local-store.js';
export { checkEntryPath, encodeManifest, MANIFEST_FORMAT } from './manifest.js';
export type * from './port.js';
