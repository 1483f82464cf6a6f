import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeArtifactStore } from './contract.js';
import { InvalidArtifactName } from './errors.js';
import { openLocalArtifactStore } from './index.js';
import { checkEntryPath, decodeManifest, encodeManifest } from './manifest.js';

const objectFile = (root: string, sha: string) => join(root, 'objects', sha.slice(0, 2), sha);

describeArtifactStore('local folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'flywheel-artifacts-'));
  return {
    store: openLocalArtifactStore(root),
    corrupt: (sha) => writeFile(objectFile(root, sha), 'tampered'),
    leftovers: () => readdir(join(root, 'tmp')).catch(() => []),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('local artifact store layout', () => {
  it('shards objects by the first two hex digits of their hash', async () => {
    const root = await mkdtemp(join(tmpdir(), 'flywheel-artifacts-'));
    try {
      const { sha256 } = await openLocalArtifactStore(root).putBuffer(Buffer.from('x'));
      expect(await readdir(join(root, 'objects', sha256.slice(0, 2)))).toEqual([sha256]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('folder manifests', () => {
  const entry = (path: string) => ({ path, sha256: 'a'.repeat(64), size: 1 });

  it('encode the same tree to the same bytes whatever order the files came in', () => {
    const one = encodeManifest([entry('b'), entry('a/z'), entry('ä')]);
    const two = encodeManifest([entry('ä'), entry('b'), entry('a/z')]);
    expect(one.equals(two)).toBe(true);
    expect(JSON.parse(one.toString()).entries.map((e: { path: string }) => e.path)).toEqual(['a/z', 'b', 'ä']);
  });

  it('refuse paths that could leave the folder they are written into', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a\\..\\b', 'C:/x', '', 'a/.', 'nul\0']) {
      expect(() => checkEntryPath(bad), bad).toThrow(InvalidArtifactName);
    }
    expect(checkEntryPath('data/train.csv')).toBe('data/train.csv');
    const crafted = Buffer.from(JSON.stringify({ format: 'flywheel.folder/1', entries: [entry('../../evil')] }));
    expect(() => decodeManifest(crafted, 'f'.repeat(64))).toThrow(/must not have empty, "\." or "\.\." segments/);
    expect(() => encodeManifest([entry('a'), entry('a')])).toThrow(/appears twice/);
  });
});
