/**
 * W3C traceparent on every request (shared/trace-context.ts): the trace id is bound to the request's
 * log lines (`traceId`), entered for the request's work so the audit events it writes carry it, and
 * returned in the response's `traceparent` header with this server's span.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { runInTrace, type TraceContext, traceContextOf, traceparentOf } from '../shared/trace-context.ts';

const traces = new WeakMap<IncomingMessage, TraceContext>();

/** The trace of a raw request, made once (the logger and the hooks ask for it). */
export function traceOf(raw: IncomingMessage): TraceContext {
  let trace = traces.get(raw);
  if (!trace) {
    trace = traceContextOf(raw.headers.traceparent);
    traces.set(raw, trace);
  }
  return trace;
}

/** Fastify's childLoggerFactory: every log line of a request carries its trace id. */
export const childLoggerWithTrace: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options, raw) =>
  logger.child({ ...bindings, traceId: traceOf(raw as IncomingMessage).traceId }, options);

export function registerTracing(app: FastifyInstance) {
  // Entered at the start and again after the body is read: the body parser's stream callbacks do not carry the context.
  const enter = (request: { raw: IncomingMessage }, _reply: unknown, done: () => void) => runInTrace(traceOf(request.raw), done);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('traceparent', traceparentOf(traceOf(request.raw)));
    enter(request, reply, done);
  });
  app.addHook('preValidation', enter);
}
