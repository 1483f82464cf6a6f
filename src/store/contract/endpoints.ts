import { describe, expect, it } from 'vitest';
import type { EndpointRecord } from '../endpoints-port.js';
import { AlreadyExists, NotFound } from '../port.js';
import { type Harness, MINUTE, T0 } from './harness.js';

const CONFIG =
  '{"variants":[{"name":"AllTraffic","model":"churn:3","weight":1,"replicas":2}],"capture":{"enabled":false}}';

const endpoint = (name: string, overrides: Partial<EndpointRecord> = {}): EndpointRecord => ({
  name,
  status: 'Creating',
  config: CONFIG,
  pendingConfig: null,
  failureReason: null,
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
});

export function describeEndpoints(t: Harness): void {
  describe('endpoints', () => {
    it('creates an endpoint and reads it back exactly', async () => {
      const record = endpoint('churn', { failureReason: 'naïve 🙂 "quoted"' });
      await t.store.endpoints.createEndpoint(record);
      expect(await t.store.endpoints.getEndpoint('churn')).toEqual(record);
      expect(await t.store.endpoints.listEndpoints()).toEqual([record]);
    });

    it('refuses a second endpoint of the same name with AlreadyExists and keeps the first', async () => {
      await t.store.endpoints.createEndpoint(endpoint('churn'));
      await expect(t.store.endpoints.createEndpoint(endpoint('churn', { status: 'Failed' }))).rejects.toBeInstanceOf(
        AlreadyExists,
      );
      expect(await t.store.endpoints.getEndpoint('churn')).toMatchObject({ status: 'Creating' });
    });

    it('save replaces status, configs, failure reason and updatedAt, keeping createdAt', async () => {
      await t.store.endpoints.createEndpoint(endpoint('churn'));
      const updating = endpoint('churn', {
        status: 'Updating',
        pendingConfig: '{"variants":[]}',
        createdAt: T0 + 5,
        updatedAt: T0 + MINUTE,
      });
      await t.store.endpoints.saveEndpoint(updating);
      expect(await t.store.endpoints.getEndpoint('churn')).toEqual({ ...updating, createdAt: T0 });
      const rolledBack = endpoint('churn', {
        status: 'InService',
        failureReason: 'update failed',
        updatedAt: T0 + 2 * MINUTE,
      });
      await t.store.endpoints.saveEndpoint(rolledBack);
      expect(await t.store.endpoints.getEndpoint('churn')).toEqual(rolledBack);
    });

    it('keeps every status the service uses', async () => {
      const statuses = ['Creating', 'InService', 'Updating', 'RollingBack', 'Failed', 'Deleting'] as const;
      for (const [i, status] of statuses.entries())
        await t.store.endpoints.createEndpoint(endpoint(`e${i}`, { status }));
      expect((await t.store.endpoints.listEndpoints()).map((e) => e.status)).toEqual([...statuses]);
    });

    it('save and delete of an unknown endpoint throw NotFound', async () => {
      await expect(t.store.endpoints.saveEndpoint(endpoint('nope'))).rejects.toBeInstanceOf(NotFound);
      await expect(t.store.endpoints.deleteEndpoint('nope')).rejects.toBeInstanceOf(NotFound);
      expect(await t.store.endpoints.getEndpoint('nope')).toBeUndefined();
    });

    it('lists by name and deletes, after which the name can be used again', async () => {
      for (const name of ['b', 'c', 'a']) await t.store.endpoints.createEndpoint(endpoint(name));
      expect((await t.store.endpoints.listEndpoints()).map((e) => e.name)).toEqual(['a', 'b', 'c']);
      await t.store.endpoints.deleteEndpoint('b');
      expect((await t.store.endpoints.listEndpoints()).map((e) => e.name)).toEqual(['a', 'c']);
      await t.store.endpoints.createEndpoint(endpoint('b', { status: 'InService' }));
      expect(await t.store.endpoints.getEndpoint('b')).toMatchObject({ status: 'InService' });
    });

    it('a second store on the same database sees the endpoints', async () => {
      await t.store.endpoints.createEndpoint(endpoint('shared', { status: 'InService' }));
      const other = await t.open();
      expect(await other.endpoints.getEndpoint('shared')).toMatchObject({ status: 'InService', config: CONFIG });
    });
  });
}
