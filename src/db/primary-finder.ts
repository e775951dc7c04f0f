/**
 * Finding the current primary among several PostgreSQL hosts, as libpq does for
 * `postgres://h1:5432,h2:5432/sluis?target_session_attrs=read-write`: node-postgres (pg 8) takes one
 * host only and ignores target_session_attrs, so SluiS does it here (docs/operations.md, "Failover").
 *
 * The pool opens each new connection to the host that last answered as primary. A connection that
 * cannot be opened, or that lands on a standby (in recovery or read-only), is closed and the next
 * host is tried, each host once per request for a connection; when none is the primary (between a
 * crash and the promotion), the request for a connection fails at once with a connection error that
 * the API answers with 503 and Retry-After. Connections already open to a primary that dies break
 * with it and leave the pool.
 */
import pg from 'pg';

/** The code of the error when every host answered but none was a primary. */
export const NO_PRIMARY = 'sluis_no_primary';

export type HostList = {
  /** One single-host connection string per host, in the order given. */
  urls: string[];
  /** target_session_attrs=read-write or primary: only a primary will do. */
  primaryOnly: boolean;
};

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

/**
 * The hosts of a connection string, or undefined for a plain one (one host, no target_session_attrs),
 * which the driver opens as it is.
 */
export function parseHostList(connectionString: string): HostList | undefined {
  const parts = URL_PARTS.exec(connectionString);
  if (!parts) return undefined;
  const [, scheme, userinfo = '', hostList = '', rest = ''] = parts;
  const [path = '', query] = rest.split(/\?(.*)/s) as [string, string | undefined];
  const params = new URLSearchParams(query ?? '');
  const attrs = params.get('target_session_attrs');
  const hosts = hostList.split(',');
  if (hosts.length < 2 && attrs === null) return undefined;
  if (attrs !== null && !['any', 'read-write', 'primary'].includes(attrs)) {
    throw new Error(`target_session_attrs=${attrs} is not supported: use read-write (or primary, or any)`);
  }
  if (hosts.some((host) => host === '')) throw new Error('The connection string names an empty host');
  params.delete('target_session_attrs');
  const remaining = params.toString();
  return {
    urls: hosts.map((host) => `${scheme}${userinfo}${host}${path}${remaining ? `?${remaining}` : ''}`),
    primaryOnly: attrs !== null && attrs !== 'any',
  };
}

/** Driver errors that mean the host could not be reached or is not (yet, any more) a primary. */
const HOST_FAILURE_CODES = new Set([NO_PRIMARY, 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

function isHostFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return HOST_FAILURE_CODES.has(code) || code.startsWith('08') || code === '57P03' || code === '57P01';
  return typeof message === 'string' && /^Connection terminated|timeout expired/.test(message);
}

export type PrimaryFindingPool = {
  pool: pg.Pool;
  /** What Kysely reads from a pool (to cancel a query through a client of the same kind). */
  options: object;
  Client: typeof pg.Client;
  /** A client connected to the current primary: what Kysely's PostgresDialect asks the pool for. */
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
};

/** A pool over the hosts that connects to whichever of them is the primary now. */
export function primaryFindingPool(hosts: HostList, config: pg.PoolConfig): PrimaryFindingPool {
  let current = 0;
  /** After host `index` failed: the next one, unless another request moved on already. */
  const moveOnFrom = (index: number) => {
    if (current === index) current = (index + 1) % hosts.urls.length;
  };

  class HostClient extends pg.Client {
    constructor(clientConfig: pg.ClientConfig = {}) {
      super({ ...clientConfig, connectionString: hosts.urls[current]! });
    }
  }

  const pool = new pg.Pool({
    ...config,
    Client: HostClient,
    onConnect: hosts.primaryOnly
      ? async (client) => {
          const { rows } = await client.query<{ primary: boolean }>(
            "select not pg_is_in_recovery() and current_setting('transaction_read_only') = 'off' as primary",
          );
          if (!rows[0]?.primary) throw Object.assign(new Error('This host is not the primary'), { code: NO_PRIMARY });
        }
      : undefined,
  });

  return {
    pool,
    options: pool.options,
    Client: HostClient,
    async connect() {
      let lastError: unknown;
      for (let tried = 0; tried < hosts.urls.length; tried++) {
        const index = current;
        try {
          return await pool.connect();
        } catch (error) {
          if (!isHostFailure(error)) throw error;
          moveOnFrom(index);
          lastError = error;
        }
      }
      throw lastError;
    },
    end: () => pool.end(),
  };
}
