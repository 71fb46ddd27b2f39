import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** The logical subgraphs of the cluster data space. */
export const LOGICAL_SUBGRAPHS = ['registry', 'firm', 'links'] as const;
export type LogicalSubgraph = (typeof LOGICAL_SUBGRAPHS)[number];

/** Logical subgraphs served by every member, routed by the owner of the rows. */
export const FIRM_SERVED: readonly LogicalSubgraph[] = ['firm', 'links'];

export const SUPERGRAPH_PATH = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

/** The SDL of one logical subgraph, as committed in `schema/<name>.graphql`. */
export function subgraphSdl(name: LogicalSubgraph): string {
  return readFileSync(fileURLToPath(new URL(`./${name}.graphql`, import.meta.url)), 'utf8');
}

/** The committed supergraph SDL. */
export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/**
 * Composes the three logical subgraphs. The URLs are placeholders: the gateway routes
 * `firm` and `links` by owner, and takes the registry URL from its configuration.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    LOGICAL_SUBGRAPHS.map((name) => ({
      name,
      url: `http://${name}.logical.invalid/graphql`,
      typeDefs: parse(subgraphSdl(name)),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}
