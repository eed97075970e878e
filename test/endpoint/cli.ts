import { parseArgs } from 'node:util';
import { startEndpoint } from './index.js';

/** `npm run endpoint`: the local endpoint as a standalone process for the CLI, the demo and manual poking. */
const USAGE = `Usage: npm run endpoint -- [options]
  --port <n>            listen on 127.0.0.1:<n> (default: a free port)
  --account <id>        account of ordinary access keys (default 123456789012)
  --throttle            enable AWS-like token-bucket throttling
  --throttle-scale <x>  multiply every throttle rate by x (implies --throttle)
  --latency <ms>        add latency to every call
  --short-pages         serve short and empty pages with a NextToken
  --verbose             log every call
  -h, --help            show this help`;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`Invalid ${flag} '${text}'. Expected a non-negative number.`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      account: { type: 'string' },
      throttle: { type: 'boolean' },
      'throttle-scale': { type: 'string' },
      latency: { type: 'string' },
      'short-pages': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scale = number('--throttle-scale', values['throttle-scale']);
  const port = number('--port', values.port);
  const latency = number('--latency', values.latency);
  const endpoint = await startEndpoint({
    ...(port !== undefined ? { port } : {}),
    ...(values.account ? { defaultAccount: values.account } : {}),
    ...(values.throttle || scale !== undefined ? { throttle: scale !== undefined ? { scale } : true } : {}),
    ...(latency !== undefined ? { latency } : {}),
    shortPages: values['short-pages'] ?? false,
    log: (line) => console.error(line),
  });
  console.log(`Local Parameter Store + KMS endpoint listening on ${endpoint.url}`);
  console.log('Try it (any credentials work; the region comes from AWS_REGION):');
  console.log(
    `  AWS_ENDPOINT_URL=${endpoint.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=ap-south-1 \\\n` +
      '    aws ssm put-parameter --name /demo/greeting --type String --value hello',
  );
  console.log('Press Ctrl+C to stop.');
  let seen = 0;
  const timer = values.verbose
    ? setInterval(() => {
        for (const call of endpoint.calls().slice(seen)) {
          console.log(
            `${call.region} ${call.service}.${call.operation} ${call.status}${call.errorCode ? ` ${call.errorCode}` : ''}`,
          );
        }
        seen = endpoint.calls().length;
      }, 200)
    : undefined;
  const stop = async (signal: string) => {
    if (timer) clearInterval(timer);
    console.log(`\n${signal}: stopping.`);
    await endpoint.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
