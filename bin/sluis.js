#!/usr/bin/env node
// Entry point for `npx sluis ...`: runs the TypeScript CLI with Node's own type stripping (Node >= 22.18).
import '../src/cli.ts';
