/**
 * The W3C Trace Context (https://www.w3.org/TR/trace-context/) of the request being served, so that
 * the log lines of a request, the audit events it wrote and the caller's own trace share one trace id.
 *
 * A valid `traceparent` header continues the caller's trace; a missing or invalid one (a wrong
 * length, upper-case hex, an all-zero id, version ff, two headers) is ignored and a new trace id is
 * made, as the specification asks. The request's own span gets a new parent id. The context lives in
 * an AsyncLocalStorage for the duration of the request (server/tracing.ts enters it), so the audit
 * writer finds it without every service passing it on; outside a request (sweeps, the delivery worker)
 * there is none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export type TraceContext = {
  /** 32 lowercase hex digits, never all zeros. */
  traceId: string;
  /** This server's span: 16 lowercase hex digits. */
  spanId: string;
  /** The caller's span, when it sent a valid traceparent. */
  parentId: string | null;
  /** Only the sampled flag is kept (the other bits are not known to this version). */
  sampled: boolean;
};

// version-traceid-parentid-flags; a later version may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The caller's trace from a traceparent header, or undefined when it is missing or invalid. */
export function parseTraceparent(header: unknown): { traceId: string; parentId: string; sampled: boolean } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is forbidden; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { traceId, parentId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The trace context of a request: the caller's trace continued, or a new one. */
export function traceContextOf(header: unknown): TraceContext {
  const parent = parseTraceparent(header);
  return {
    traceId: parent?.traceId ?? nonZeroHex(16),
    spanId: nonZeroHex(8),
    parentId: parent?.parentId ?? null,
    sampled: parent?.sampled ?? false,
  };
}

/** The traceparent this server sends back: the trace id with its own span. */
export const traceparentOf = (trace: TraceContext) => `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? '01' : '00'}`;

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!ALL_ZEROS.test(hex)) return hex;
  }
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` (and everything it starts) inside the request's trace context. */
export const runInTrace = <T>(trace: TraceContext, fn: () => T): T => storage.run(trace, fn);

/** The trace id of the request being served, or null outside a request. */
export const currentTraceId = (): string | null => storage.getStore()?.traceId ?? null;
