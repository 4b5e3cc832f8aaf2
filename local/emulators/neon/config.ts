import { neonConfig } from '@neondatabase/serverless';
import ws from 'ws';

/**
 * Points the Neon driver at the local stand-ins of `local/emulators/neon`. Global: affects every
 * `neon()`, `Pool` and `Client` created afterwards in this process.
 */
export function useLocalNeon(endpoints: {
  fetchEndpoint: string;
  wsProxy: (host: string, port: number | string) => string;
}): void {
  // A string is used as the full URL for every host; the target database travels in the
  // Neon-Connection-String header.
  neonConfig.fetchEndpoint = endpoints.fetchEndpoint;
  neonConfig.wsProxy = endpoints.wsProxy;
  neonConfig.webSocketConstructor = ws;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  // Pipelining sends the password before the server asks for it, which only works with
  // cleartext password auth; the local Postgres may use trust or SCRAM.
  neonConfig.pipelineConnect = false;
}
