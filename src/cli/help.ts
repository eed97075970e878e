import { VERSION } from '../version.js';
import type { Command, OptionSpec } from './command.js';

const BIN = 'ssm-replicate';

export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${BIN} ${VERSION}: keep AWS SSM Parameter Store identical across regions`,
    '',
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help  Show help',
    '  --version   Print the version',
    '',
    `Run '${BIN} <command> --help' for the options of a command.`,
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const rows = [
    ...Object.entries(command.options),
    [
      'debug',
      {
        type: 'boolean',
        description:
          'Log every AWS call on stderr: operation, region, HTTP status, duration, attempts (never a value or a credential)',
      },
    ],
    ['help', { type: 'boolean', short: 'h', description: 'Show this help' }],
  ] as [string, OptionSpec][];
  const flags = rows.map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    return `${short}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
  });
  const width = Math.max(...flags.map((f) => f.length));
  return [
    `Usage: ${BIN} ${command.name} [options]`,
    '',
    command.description,
    '',
    'Options:',
    ...rows.map(([, spec], i) => {
      const fallback = spec.default === undefined ? '' : ` (default: ${spec.default})`;
      return `  ${(flags[i] ?? '').padEnd(width)}  ${spec.description}${fallback}`;
    }),
  ].join('\n');
}
