import net from 'node:net';

export type ProxyMode = 'pass' | 'cut' | 'slow';

/**
 * A TCP proxy between the hub and one database, to make a department fail
 * for real: `cut` drops every connection and refuses new ones, `slow` delays
 * every answer by `delayMs`, `pass` restores normal service.
 */
export class TcpProxy {
  mode: ProxyMode = 'pass';
  delayMs = 3000;
  readonly #sockets = new Set<net.Socket>();
  readonly #server: net.Server;

  private constructor(target: { host: string; port: number }) {
    this.#server = net.createServer((client) => {
      if (this.mode === 'cut') return void client.destroy();
      const upstream = net.connect(target);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (this.mode === 'slow') setTimeout(() => !client.destroyed && client.write(chunk), this.delayMs);
        else client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.mode = 'cut';
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((r) => this.#server.close(r));
  }
}
