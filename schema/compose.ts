/**
 * Composes the logical subgraphs (registry, firm, links) into `schema/supergraph.graphql`.
 * Run: `npm run compose`. A test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './supergraph.js';

const sdl = composeSupergraph();
writeFileSync(SUPERGRAPH_PATH, sdl);
console.log(`wrote ${SUPERGRAPH_PATH}`);
