#!/usr/bin/env node
// The `dataspace` command: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../cli/dataspace.ts');
