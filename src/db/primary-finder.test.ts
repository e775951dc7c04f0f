/**
 * The pure parts of riding through a failover: which connection strings name several hosts (and how
 * each host's own string looks), and which driver errors mean "the database is briefly unavailable"
 * (a 503 with Retry-After) rather than a bug (500). The failover itself: failover.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeDatabaseError } from './errors.ts';
import { NO_PRIMARY, parseHostList } from './primary-finder.ts';

test('a multi-host connection string becomes one string per host, without target_session_attrs', () => {
  assert.deepEqual(parseHostList('postgres://sluis:s%40cret@db1:5432,db2:5433/sluis?target_session_attrs=read-write&sslmode=require'), {
    urls: ['postgres://sluis:s%40cret@db1:5432/sluis?sslmode=require', 'postgres://sluis:s%40cret@db2:5433/sluis?sslmode=require'],
    primaryOnly: true,
  });
  assert.deepEqual(parseHostList('postgresql://db1,db2/sluis'), { urls: ['postgresql://db1/sluis', 'postgresql://db2/sluis'], primaryOnly: false });
  assert.deepEqual(parseHostList('postgres://db1/sluis?target_session_attrs=primary'), { urls: ['postgres://db1/sluis'], primaryOnly: true });
});

test('a plain connection string is left to the driver as it is', () => {
  assert.equal(parseHostList('postgres://postgres@127.0.0.1:5432/test'), undefined);
  assert.equal(parseHostList('postgres://db1/sluis?sslmode=require'), undefined);
});

test('a session attribute SluiS cannot honour, or an empty host, stops the start', () => {
  assert.throws(() => parseHostList('postgres://db1,db2/sluis?target_session_attrs=standby'), /not supported/);
  assert.throws(() => parseHostList('postgres://db1,,db2/sluis'), /empty host/);
});

test('connection failures, shutdowns, standbys, timeouts, deadlocks and serialisation failures are "unavailable"; other database errors are not', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Client has encountered a connection error and is not queryable'),
    Object.assign(new Error('This host is not the primary'), { code: NO_PRIMARY }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' }),
  ];
  for (const error of unavailable) assert.equal(safeDatabaseError(error).unavailable, true, error.message);
  const bugs = [
    Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' }),
    Object.assign(new Error('new row violates check constraint'), { code: '23514' }),
    new Error('something else'),
  ];
  for (const error of bugs) assert.equal(safeDatabaseError(error).unavailable, false, error.message);
});
