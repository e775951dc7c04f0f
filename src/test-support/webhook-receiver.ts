/** A real HTTP receiver on 127.0.0.1 for webhooks: records every call, can be told to fail. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { observeWebhook } from './leak-guard.ts';

export type WebhookCall = { headers: IncomingHttpHeaders; body: string; status: number };

export async function startWebhookReceiver() {
  const calls: WebhookCall[] = [];
  let failuresLeft = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failuresLeft > 0 ? 500 : 204;
      if (failuresLeft > 0) failuresLeft--;
      const body = Buffer.concat(chunks).toString('utf8');
      observeWebhook(request.url ?? '/', `${JSON.stringify(request.headers)}\n${body}`);
      calls.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    url: `http://127.0.0.1:${port}/sluis-events`,
    calls,
    /** The next `count` calls get HTTP 500. */
    failNext(count: number) {
      failuresLeft = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
