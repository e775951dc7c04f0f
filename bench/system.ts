/** What the benchmark records about the machine, and CPU time per process group read from /proc. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export type Machine = { cpuModel: string; cores: number; memoryGiB: number; node: string; os: string; loadAverage: number[] };

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {}
  return {
    cpuModel,
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
  };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user, system, both) and, for a selection by name, per process. */
export type Cpu = { user: number; system: number; total: number; byPid?: Map<string, number> };

/**
 * CPU seconds used between two readings. For a selection by name (the postgres processes) it is
 * the sum over the processes alive at the second reading, each minus its own first reading: a
 * backend or autovacuum worker that exited in between is left out (its share is not known), so the
 * figure errs low, never negative as a difference of sums would when a busy process exits.
 */
export function cpuBetween(before: Cpu, after: Cpu): number {
  if (!before.byPid || !after.byPid) return after.total - before.total;
  let used = 0;
  for (const [pid, cpu] of after.byPid) used += cpu - (before.byPid.get(pid) ?? 0);
  return used;
}

/** User and system CPU seconds of one process, or of every process whose command name is `comm`. */
export function cpuSeconds(selector: { pid: number } | { comm: string }): Cpu {
  const read = (pid: string): { comm: string; user: number; system: number } | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' '); // fields[0] is field 3 (state)
      return { comm, user: Number(fields[11]) / clockTicks(), system: Number(fields[12]) / clockTicks() };
    } catch {
      return undefined;
    }
  };
  let user = 0;
  let system = 0;
  const byPid = new Map<string, number>();
  const pids = 'pid' in selector ? [String(selector.pid)] : readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const process = read(pid);
    if (process && ('pid' in selector || process.comm === selector.comm)) {
      user += process.user;
      system += process.system;
      byPid.set(pid, process.user + process.system);
    }
  }
  return { user, system, total: user + system, ...('comm' in selector && { byPid }) };
}

/** CPU seconds the whole machine was busy (all cores: user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}
