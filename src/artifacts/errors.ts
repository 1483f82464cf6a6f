/** An artifact id that is not a sha256 (64 lower-case hex characters), or a manifest path that would escape. */
export class InvalidArtifactName extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArtifactName';
  }
}

/** Stored bytes no longer match their hash: the artifact store was damaged on disk. */
export class ArtifactCorrupted extends Error {
  constructor(
    readonly sha256: string,
    actual: string,
  ) {
    super(`artifact ${sha256} is corrupted: its content hashes to ${actual}; restore it from a backup or put it again`);
    this.name = 'ArtifactCorrupted';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Throws InvalidArtifactName unless `value` is a sha256 in lower-case hex, the only form an artifact id takes. */
export function checkSha256(value: string, what = 'artifact id'): string {
  if (!SHA256.test(value)) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
    throw new InvalidArtifactName(`${what} must be a sha256: 64 lower-case hex characters (got "${shown}")`);
  }
  return value;
}

export const isSha256 = (value: string): boolean => SHA256.test(value);
