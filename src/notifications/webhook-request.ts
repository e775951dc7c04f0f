/**
 * One webhook call: an HTTP POST through node:http(s), connecting only to addresses the guard has
 * checked (its `lookup` runs inside the socket's connect), never following a redirect, with a
 * deadline for the whole call. Connections are kept alive per worker, as fetch did.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebhookAddressGuard } from './webhook-address-guard.ts';

export type WebhookClient = ReturnType<typeof createWebhookClient>;

export function createWebhookClient(guard: WebhookAddressGuard) {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  return {
    /** Resolves with the HTTP status (the answer's body is discarded); rejects when refused, unreachable or too slow. */
    async post(urlText: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
      const lookup = guard.connectLookup(urlText); // throws for a refused URL or IP literal: no socket is opened
      const url = new URL(urlText);
      const send = url.protocol === 'https:' ? https.request : http.request;
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      return new Promise<number>((resolve, reject) => {
        const request = send(
          url,
          {
            method: 'POST',
            agent,
            lookup,
            signal: AbortSignal.timeout(timeoutMs),
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (response) => {
            // The body is not read, only drained (so the connection can be reused); a receiver that
            // breaks off mid-body or outlasts the deadline must not crash the worker with an unhandled error.
            response.on('error', () => {});
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    },
  };
}
