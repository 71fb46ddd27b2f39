/**
 * Edits of a registry file (`cluster.yaml`, the format of registryConfig.ts) as text: the
 * YAML document is edited in place, so that the operator's comments, order and unstated
 * defaults survive. Pure: text in, text out; the caller reads, validates and writes.
 */
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import type { MemberEndpoints, MemberProfile, TradeRelationship } from '../../cluster/directory.js';
import { ConfigError } from '../../config/configError.js';

/** A member as the registry file lists it: its profile, endpoints and key files (relative to the file). */
export interface RegistryFileMember extends MemberProfile {
  endpoints: MemberEndpoints;
  publicKeyFiles: string[];
  serviceKeyFiles: string[];
}

/** What a cluster starter lists in its registry file (the demo's members, keys and terms). */
export interface ListedCluster {
  clusterId: string;
  listen: { host: string; port: number };
  operatorPrivateKeyFile: string;
  /** The public key file of the gateway `main`. */
  gatewayPublicKeyFile: string;
  termsFile?: string;
  members: RegistryFileMember[];
  relationships: TradeRelationship[];
}

function memberNode(m: RegistryFileMember): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name,
    role: m.role,
    tier: m.tier,
    sector: m.sector,
    endpoints: m.endpoints,
    publicKeyFiles: m.publicKeyFiles,
    serviceKeyFiles: m.serviceKeyFiles,
  };
}

/** The list under `key` as plain values, and its YAML node (created empty when absent). */
function listOf(doc: Document, key: string): Record<string, unknown>[] {
  if (!doc.has(key)) doc.set(key, doc.createNode([]));
  const node = doc.get(key, true);
  if (!isSeq(node)) throw new Error(`${key} is not a list`);
  return node.items.map((item) => (isMap(item) ? (item.toJSON() as Record<string, unknown>) : {}));
}

function addRelationships(doc: Document, relationships: readonly TradeRelationship[]): void {
  const present = listOf(doc, 'relationships');
  for (const r of relationships) {
    if (present.some((p) => p.supplier === r.supplier && p.customer === r.customer)) continue;
    doc.addIn(['relationships'], doc.createNode({ supplier: r.supplier, customer: r.customer }, { flow: true }));
  }
}

function setMember(doc: Document, member: RegistryFileMember): void {
  const index = listOf(doc, 'members').findIndex((m) => m.id === member.id);
  const node = doc.createNode(memberNode(member));
  for (const key of ['endpoints', 'publicKeyFiles', 'serviceKeyFiles']) {
    const inner = node.get(key, true);
    if (isMap(inner) || isSeq(inner)) inner.flow = true;
  }
  if (index < 0) doc.addIn(['members'], node);
  else doc.setIn(['members', index], node);
}

function documentOf(file: string, text: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new ConfigError(file, '', `not a registry file: ${doc.errors[0]?.message.split('\n')[0] ?? 'expected a map'}`);
  }
  return doc;
}

/**
 * The registry file of a cluster started by code, merged into the file already there: the
 * listed members (replaced whole: endpoints, keys, profile), the gateway `main`, the
 * listen address, the operator key and the terms are the starter's; every other member,
 * gateway and relationship (a firm that joined by `dataspace init firm`) is kept.
 * @example writeFileAtomically(file, listedRegistryFile(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined, listed));
 */
export function listedRegistryFile(file: string, existing: string | undefined, listed: ListedCluster): string {
  const doc = existing === undefined || existing.trim() === '' ? new Document({}) : documentOf(file, existing);
  if (existing === undefined) {
    doc.commentBefore =
      ' The cluster registry of the demo (registryConfig.ts format), re-read by the running registry on change.\n' +
      ' `dataspace demo` rewrites its own members, listen address, keys and terms at each start and keeps every\n' +
      ' other member and relationship; `dataspace init firm` adds a firm here.';
  }
  const clusterId = doc.get('clusterId');
  if (clusterId !== undefined && clusterId !== listed.clusterId) {
    throw new ConfigError(file, 'clusterId', `this file lists cluster "${String(clusterId)}", not "${listed.clusterId}": use another data folder`);
  }
  doc.set('clusterId', listed.clusterId);
  doc.set('listen', doc.createNode(listed.listen, { flow: true }));
  doc.set('operatorPrivateKeyFile', listed.operatorPrivateKeyFile);
  if (listed.termsFile) doc.set('termsFile', listed.termsFile);
  else doc.delete('termsFile');
  const gateways = listOf(doc, 'gateways');
  const main = doc.createNode({ id: 'main', publicKeyFiles: [listed.gatewayPublicKeyFile] });
  const mainIndex = gateways.findIndex((g) => g.id === 'main');
  if (mainIndex < 0) doc.addIn(['gateways'], main);
  else doc.setIn(['gateways', mainIndex], main);
  addRelationships(doc, listed.relationships);
  for (const m of listed.members) setMember(doc, m);
  return doc.toString({ lineWidth: 0 });
}

/**
 * The registry file with one more member and its relationships (as supplier of its
 * customers). A member id the file already lists is a ConfigError naming `members[i].id`.
 * @example const next = withMember('cluster.yaml', text, member, [{ supplier: 'titanforge', customer: 'structura' }]);
 */
export function withMember(file: string, text: string, member: RegistryFileMember, relationships: readonly TradeRelationship[]): string {
  const doc = documentOf(file, text);
  const index = listOf(doc, 'members').findIndex((m) => m.id === member.id);
  if (index >= 0) throw new ConfigError(file, `members[${index}].id`, `"${member.id}" is already a member`);
  setMember(doc, member);
  addRelationships(doc, relationships);
  return doc.toString({ lineWidth: 0 });
}
