/**
 * The moto server of this jest worker (started by moto-global-setup.ts) and real SDK clients
 * pointed at it. Integration tests call `useMoto()` in their describe block: it resets the
 * server before each test.
 */
import { AwsClients, type AwsClientOptions } from '../../src/aws/clients';
import { MOTO_CREDENTIALS, resetMoto } from '../../src/demo/moto';

export function motoEndpoint(): string {
  const endpoints = (process.env.TRAILWATCH_MOTO_ENDPOINTS ?? '').split(',').filter(Boolean);
  if (endpoints.length === 0) throw new Error('moto is not running: the jest global setup did not start it');
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return endpoints[(worker - 1) % endpoints.length] as string;
}

/** Real SDK clients on this worker's moto, with the moto credentials. */
export function motoClients(options: Omit<AwsClientOptions, 'endpointUrl' | 'credentials'> = {}): AwsClients {
  return new AwsClients({ ...options, endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
}

/** Resets this worker's moto before each test of the enclosing describe block. */
export function useMoto(): { endpoint: () => string } {
  beforeEach(async () => {
    await resetMoto(motoEndpoint());
  });
  return { endpoint: motoEndpoint };
}
