/**
 * System `static`: the HTTP ceiling. A node:http handler that reads the
 * request body and answers with a canned response of the size the hub gives
 * for the workload being measured (the runner sets it before each workload).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveUnderBench } from './child.js';

let canned = Buffer.from('{"data":null}');

await serveUnderBench(async () => {
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': canned.length });
      res.end(canned);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    statements: () => ({}),
    setCanned(body: string) {
      canned = Buffer.from(body);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
