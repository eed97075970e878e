import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractProblems } from './openapi/validate.js';
import { loadScenario, SCENARIO_DIR } from './support/scenarios.js';

/*
 * The fixtures server answers only requests identical to a scenario's (order, method, path, query, body,
 * token), and the end-to-end tests require every scenario request to be made: so the scenarios are
 * exactly the requests the Action sends. Here each one is held against GitHub's published OpenAPI
 * description, so a scenario cannot encode an endpoint or a field GitHub does not have.
 */

const scenarios = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => loadScenario(f.replace(/\.json$/, '')));

describe('the GitHub requests of every end-to-end scenario', () => {
  it('covers the scenarios the end-to-end tests load', () => {
    expect(scenarios.map((s) => s.name).sort()).toEqual([
      'pr-plan-creates-comment',
      'pr-plan-unchanged',
      'push-applies-reviewed-plan',
      'push-plan-changed',
      'schedule-drift-opens-issue',
      'schedule-in-sync-closes-issue',
    ]);
  });

  for (const scenario of scenarios) {
    it(`conform to GitHub's OpenAPI description: ${scenario.name}`, () => {
      for (const request of scenario.requests) {
        expect(contractProblems(request), `${request.method} ${request.path}`).toEqual([]);
      }
    });
  }
});

describe('the OpenAPI contract check', () => {
  it('rejects an undocumented path, query parameter, enum value, body field and status', () => {
    expect(contractProblems({ method: 'get', path: '/repos/a/b/issues/7/remarks', status: 200 })[0]).toMatch(
      /not a documented path/,
    );
    expect(
      contractProblems({ method: 'get', path: '/repos/a/b/issues?state=shut&page_size=100', status: 200 }),
    ).toEqual([
      'query state must be equal to one of the allowed values',
      'query page_size is not a parameter of issues/list-for-repo',
    ]);
    expect(
      contractProblems({
        method: 'patch',
        path: '/repos/a/b/issues/12',
        body: { state: 'closed', state_reson: 'completed' },
        status: 202,
      }),
    ).toEqual([
      'body property state_reson is not documented for issues/update',
      'status 202 is not a documented response of issues/update',
    ]);
    expect(
      contractProblems({
        method: 'post',
        path: '/repos/a/b/issues/seven/comments',
        body: { body: 'x' },
        status: 201,
      }),
    ).toEqual(['path issue_number must be integer']);
  });
});
