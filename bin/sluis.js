#!/usr/bin/env node
// Entry point for `npx sluis ...`: registers the tsx loader (TypeScript and the TSX page templates), then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
