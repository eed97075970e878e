import { describe, expect, it } from 'vitest';
import { briefSummary, summarize } from '../../src/render/summary.js';
import { item, planOf, region, representativePlan } from './fixtures.js';

describe('summarize', () => {
  it('counts every action and the regions with changes', () => {
    const plan = planOf([
      region({
        region: 'us-east-1',
        items: [
          item({ action: 'create', name: '/a' }),
          item({ action: 'create', name: '/b' }),
          item({ action: 'tag', name: '/c' }),
        ],
      }),
      region({
        region: 'eu-west-1',
        items: [
          item({ action: 'create', name: '/a' }),
          item({ action: 'update', name: '/d' }),
          item({ action: 'tag', name: '/c' }),
        ],
      }),
    ]);
    expect(summarize(plan)).toBe(
      '3 to create, 1 to update, 2 tag changes, 0 to replace, 0 to delete in 2 regions',
    );
  });

  it('says "No changes" and how many replicas are in sync where', () => {
    const plan = planOf([region({ region: 'us-east-1', unchanged: 1 })]);
    expect(summarize(plan)).toBe('No changes. 1 replica in sync in 1 region.');
  });

  it('mentions regions that could not be read, since no changes there means not looked at', () => {
    expect(summarize(representativePlan())).toBe(
      '1 to create, 1 to update, 1 tag change, 1 to replace, 1 to delete in 2 regions; 1 region could not be read',
    );
    const plan = planOf([
      region({ region: 'us-east-1', unchanged: 2 }),
      region({ region: 'eu-west-1', error: 'denied' }),
    ]);
    expect(summarize(plan)).toBe('No changes. 2 replicas in sync in 1 region; 1 region could not be read.');
  });

  it('says nothing was planned, not "No changes", when no region could be read', () => {
    const plan = planOf([
      region({ region: 'us-east-1', error: 'denied' }),
      region({ region: 'eu-west-1', error: 'x' }),
    ]);
    expect(summarize(plan)).toBe('Nothing planned: 2 regions could not be read.');
    expect(briefSummary(plan)).toBe('Nothing planned: 2 regions could not be read.');
  });
});
