import { performance } from 'node:perf_hooks';
import { GetParameterCommand, PutParameterCommand, paginateDescribeParameters } from '@aws-sdk/client-ssm';
import { ssmClient } from './clients.js';
import { startEndpoint } from './index.js';

/**
 * Measures what issue #3 promises: start-up time and 2,000 sequential SDK calls; plus a Path listing
 * over a 100,000-parameter region. Run with `npx tsx test/endpoint/measure.ts`. Numbers only; nothing
 * here asserts a timing.
 */
const ms = (start: number) => `${(performance.now() - start).toFixed(1)} ms`;

const startups: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const ep = await startEndpoint();
  startups.push(performance.now() - t);
  await ep.stop();
}
console.log(
  `startEndpoint: first ${startups[0]?.toFixed(1)} ms, median of 5 ${[...startups].sort((a, b) => a - b)[2]?.toFixed(1)} ms`,
);

// Above AWS's 10,000 Standard quota on purpose: this is a load test.
const ep = await startEndpoint({ limits: { standardParameters: 200_000 } });
const client = ssmClient(ep, 'eu-west-1');
await client.send(new PutParameterCommand({ Name: '/warm', Value: 'v', Type: 'String' }));

let t = performance.now();
for (let i = 0; i < 1000; i++) {
  await client.send(new PutParameterCommand({ Name: `/perf/p${i}`, Value: `v${i}`, Type: 'String' }));
  await client.send(new GetParameterCommand({ Name: `/perf/p${i}` }));
}
console.log(`2,000 sequential SDK calls (1,000 PutParameter + 1,000 GetParameter): ${ms(t)}`);

t = performance.now();
for (let app = 0; app < 100; app++) {
  for (let p = 0; p < 1000; p++) {
    ep.state.putParameter({
      region: 'eu-west-1',
      name: `/bench/app${app}/p${p}`,
      value: 'v',
      type: 'String',
    });
  }
}
console.log(`seeding 100,000 parameters through state.putParameter: ${ms(t)}`);

t = performance.now();
let listed = 0;
let pages = 0;
for await (const page of paginateDescribeParameters(
  { client, pageSize: 50 },
  { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/bench/app42'] }] },
)) {
  listed += page.Parameters?.length ?? 0;
  pages += 1;
}
console.log(
  `DescribeParameters Path=/bench/app42 over 101,001 parameters: ${listed} in ${pages} pages, ${ms(t)}`,
);
await ep.stop();
