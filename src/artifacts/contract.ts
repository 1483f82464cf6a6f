/**
 * The artifact-store contract suite: every ArtifactStore implementation must pass it. A test-only entry (it imports
 * vitest). The implementation's harness supplies what the port cannot do: damage a stored object, list leftovers.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFound } from '../store/index.js';
import { ArtifactCorrupted, InvalidArtifactName } from './errors.js';
import type { ArtifactStore } from './port.js';

export interface ArtifactStoreUnderTest {
  store: ArtifactStore;
  /** Changes the stored bytes of a file artifact without changing its name. */
  corrupt(sha256: string): Promise<void>;
  /** Anything a write left behind outside the visible artifacts (temporary files). */
  leftovers(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');
const HOUR = 3_600_000;

export function describeArtifactStore(name: string, make: () => Promise<ArtifactStoreUnderTest>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let t: ArtifactStoreUnderTest;
    let work: string;
    beforeEach(async () => {
      t = await make();
      work = await mkdtemp(join(tmpdir(), 'flywheel-artifacts-work-'));
    });
    afterEach(async () => {
      await t.cleanup();
      await rm(work, { recursive: true, force: true });
    });

    /** A tree with a nested file, a non-ASCII name and an empty file. */
    async function tree(root: string, extra = ''): Promise<string> {
      await mkdir(join(root, 'sub', 'deeper'), { recursive: true });
      await writeFile(join(root, 'a.csv'), `x,y\n1,2\n${extra}`);
      await writeFile(join(root, 'sub', 'deeper', 'model.json'), '{"trees":[]}');
      await writeFile(join(root, 'sub', 'ünïcode.txt'), 'ü');
      await writeFile(join(root, 'empty'), '');
      return root;
    }

    it('stores bytes under their sha256, reads them back and keeps one copy of duplicates', async () => {
      const one = await t.store.putBuffer(Buffer.from('hello'));
      expect(one).toMatchObject({ sha256: sha('hello'), kind: 'file', size: 5, files: 1 });
      const again = await t.store.putStream([Buffer.from('hel'), Buffer.from('lo')]);
      expect(again.sha256).toBe(one.sha256);
      expect((await t.store.read(one.sha256)).toString()).toBe('hello');
      expect(await t.store.has(one.sha256)).toBe(true);
      expect(await t.store.stat(one.sha256)).toMatchObject({ kind: 'file', size: 5 });
      expect(await t.store.verify(one.sha256)).toMatchObject({ kind: 'file', size: 5 });
      expect((await t.store.list()).map((a) => a.sha256)).toEqual([one.sha256]);
      const chunks: Buffer[] = [];
      for await (const chunk of await t.store.open(one.sha256)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('hello');
    });

    it('stores a folder tree under a stable id and writes it back byte for byte', async () => {
      const first = await t.store.putFolder(await tree(join(work, 'one')));
      const second = await t.store.putFolder(await tree(join(work, 'two')));
      expect(second.sha256).toBe(first.sha256);
      expect(first).toMatchObject({ kind: 'folder', files: 4, size: 8 + 12 + 2 });
      const changed = await t.store.putFolder(await tree(join(work, 'three'), '3,4\n'));
      expect(changed.sha256).not.toBe(first.sha256);
      const manifest = await t.store.manifest(first.sha256);
      expect(manifest.entries.map((e) => e.path)).toEqual([
        'a.csv',
        'empty',
        'sub/deeper/model.json',
        'sub/ünïcode.txt',
      ]);
      // The folder's files are artifacts of their own, shared between the two trees.
      expect((await t.store.list()).filter((a) => a.kind === 'file')).toHaveLength(5);

      const out = join(work, 'out');
      expect(await t.store.getToPath(first.sha256, out)).toMatchObject({ kind: 'folder', files: 4 });
      expect(await readFile(join(out, 'sub', 'deeper', 'model.json'), 'utf8')).toBe('{"trees":[]}');
      expect(await readFile(join(out, 'sub', 'ünïcode.txt'), 'utf8')).toBe('ü');
      await expect(t.store.getToPath(first.sha256, out)).rejects.toThrow(/it exists; give a new or empty folder/);
      await mkdir(join(work, 'empty'));
      await t.store.getToPath(first.sha256, join(work, 'empty'));
      expect(await readFile(join(work, 'empty', 'a.csv'), 'utf8')).toBe('x,y\n1,2\n');
      const file = await t.store.putFile(join(work, 'one', 'a.csv'));
      await t.store.getToPath(file.sha256, join(work, 'copy.csv'));
      expect(await readFile(join(work, 'copy.csv'), 'utf8')).toBe('x,y\n1,2\n');
    });

    it('leaves nothing behind when a put fails part-way', async () => {
      async function* failing() {
        yield Buffer.from('half of a model');
        throw new Error('disk went away');
      }
      await expect(t.store.putStream(failing())).rejects.toThrow('disk went away');
      await expect(t.store.putFile(join(work, 'missing.bin'))).rejects.toThrow(/missing\.bin: ENOENT/);
      const folder = await tree(join(work, 'linked'));
      await symlink(join(folder, 'a.csv'), join(folder, 'sub', 'link'));
      await expect(t.store.putFolder(folder)).rejects.toThrow(/sub\/link is not a regular file/);
      expect(await t.store.list()).toEqual([]);
      expect(await t.leftovers()).toEqual([]);
    });

    it('refuses ids that are not a sha256, so no name can reach outside the store', async () => {
      for (const bad of ['../../etc/passwd', `${'a'.repeat(63)}/`, 'A'.repeat(64), '', `..${'a'.repeat(62)}`]) {
        await expect(t.store.has(bad)).rejects.toBeInstanceOf(InvalidArtifactName);
        await expect(t.store.read(bad)).rejects.toBeInstanceOf(InvalidArtifactName);
        await expect(t.store.stat(bad)).rejects.toBeInstanceOf(InvalidArtifactName);
        await expect(t.store.getToPath(bad, join(work, 'x'))).rejects.toBeInstanceOf(InvalidArtifactName);
        await expect(t.store.delete(bad)).rejects.toBeInstanceOf(InvalidArtifactName);
      }
    });

    it('answers NotFound for an unknown artifact and deletes one', async () => {
      const unknown = sha('never stored');
      expect(await t.store.has(unknown)).toBe(false);
      await expect(t.store.stat(unknown)).rejects.toBeInstanceOf(NotFound);
      await expect(t.store.read(unknown)).rejects.toBeInstanceOf(NotFound);
      await expect(t.store.open(unknown)).rejects.toBeInstanceOf(NotFound);
      await expect(t.store.manifest(unknown)).rejects.toBeInstanceOf(NotFound);
      const { sha256 } = await t.store.putBuffer(Buffer.from('x'));
      expect(await t.store.delete(sha256)).toBe(true);
      expect(await t.store.delete(sha256)).toBe(false);
      expect(await t.store.has(sha256)).toBe(false);
    });

    it('detects a corrupted object on every read path and writes no bad copy', async () => {
      const { sha256 } = await t.store.putBuffer(Buffer.from('the real model'));
      await t.corrupt(sha256);
      await expect(t.store.read(sha256)).rejects.toBeInstanceOf(ArtifactCorrupted);
      await expect(t.store.verify(sha256)).rejects.toBeInstanceOf(ArtifactCorrupted);
      const stream = await t.store.open(sha256);
      await expect(
        (async () => {
          for await (const _ of stream) {
            // drain
          }
        })(),
      ).rejects.toBeInstanceOf(ArtifactCorrupted);
      const out = join(work, 'model.json');
      await expect(t.store.getToPath(sha256, out)).rejects.toBeInstanceOf(ArtifactCorrupted);
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });

      const folder = await t.store.putFolder(await tree(join(work, 'tree')));
      await t.corrupt(sha('x,y\n1,2\n'));
      await expect(t.store.verify(folder.sha256)).rejects.toBeInstanceOf(ArtifactCorrupted);
      await expect(t.store.getToPath(folder.sha256, join(work, 'tree-out'))).rejects.toBeInstanceOf(ArtifactCorrupted);
      await expect(readdir(work)).resolves.not.toContain('tree-out');
      expect((await readdir(work)).filter((name) => name.includes('.part'))).toEqual([]);
    });

    it('garbage-collects only what nothing refers to, keeping the files of kept folders and young artifacts', async () => {
      const kept = await t.store.putBuffer(Buffer.from('referenced'));
      const orphan = await t.store.putBuffer(Buffer.from('orphan'));
      const folder = await t.store.putFolder(await tree(join(work, 'kept')));
      const orphanFolder = await t.store.putFolder(await tree(join(work, 'gone'), 'only here'));
      const later = Date.now() + 2 * HOUR;

      expect((await t.store.gc([kept.sha256, folder.sha256])).deleted).toEqual([]);
      const dry = await t.store.gc([kept.sha256, folder.sha256], { now: later, dryRun: true });
      expect(dry.deleted.length).toBe(3);
      expect(await t.store.has(orphan.sha256)).toBe(true);

      const report = await t.store.gc([kept.sha256, folder.sha256, 'not-a-sha'], { now: later });
      const onlyInOrphanFolder = sha('x,y\n1,2\nonly here');
      expect(report.deleted.map((d) => d.sha256).sort()).toEqual(
        [orphan.sha256, orphanFolder.sha256, onlyInOrphanFolder].sort(),
      );
      expect(report.freedBytes).toBeGreaterThan(0);
      expect(await t.store.has(orphan.sha256)).toBe(false);
      expect(await t.store.has(orphanFolder.sha256)).toBe(false);
      await t.store.getToPath(folder.sha256, join(work, 'restored'));
      expect(await readFile(join(work, 'restored', 'a.csv'), 'utf8')).toBe('x,y\n1,2\n');
      expect((await t.store.read(kept.sha256)).toString()).toBe('referenced');
      expect(report.kept).toBe((await t.store.list()).length);
    });
  });
}
