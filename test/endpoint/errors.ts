/**
 * AWS error values thrown by handlers and rendered by the server in the wire shape of each protocol.
 * The HTTP status follows AWS: client faults 400, server faults 500, unavailability 503.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status ?? statusForCode(code);
  }
}

const SERVER_FAULTS: Record<string, number> = {
  InternalServerError: 500,
  InternalFailure: 500,
  InternalServiceException: 500,
  KMSInternalException: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
};

export function statusForCode(code: string): number {
  return SERVER_FAULTS[code] ?? 400;
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** The wording AWS's request validation layer uses ("1 validation error detected: ..."). */
export function constraintViolation(value: unknown, member: string, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return validation(
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
