/** A test hub listening on a real socket, for clients that speak HTTP themselves (Apollo Client, codegen loaders). */
import { startTestHub, type TestHub } from '../setup/hub.js';

export interface LiveHub extends TestHub {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
}

export async function startLiveHub(env: Record<string, string> = {}): Promise<LiveHub> {
  const t = await startTestHub(env);
  await t.hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.hub.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the hub is not listening on a TCP port');
  return { ...t, url: `http://127.0.0.1:${address.port}` };
}
