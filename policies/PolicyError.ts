/** One precise problem in a policy file: where it is and what is wrong. */
export interface PolicyIssue {
  /** The policy file, as given to the loader (e.g. `demo/policies/structura.yaml`). */
  file: string;
  /** The id of the rule the problem is in, when the rule has a valid id. */
  ruleId?: string;
  /** Full path of the offending key from the document root, e.g. `rules[2].who.relationship[0]`; '' for the whole document. */
  path: string;
  /** What is wrong, without the location, e.g. `unknown relationship "custommer" (...)`. */
  reason: string;
  /** The location and the reason in one line. */
  message: string;
}

/**
 * A policy file that does not validate. Validation fails closed: a firm whose policy file
 * is invalid serves nothing. `file`, `ruleId` and `path` are those of the first issue;
 * `issues` holds every problem found, and the message lists them all.
 * @example
 * try { parsePolicy(text, { file, model }) } catch (e) {
 *   if (e instanceof PolicyError) console.error(e.issues.map((i) => i.message).join('\n'));
 * }
 */
export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID' as const;
  readonly file: string;
  readonly ruleId?: string;
  readonly path: string;
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly [PolicyIssue, ...PolicyIssue[]]) {
    const [first] = issues;
    super(
      issues.length === 1
        ? first.message
        : `${first.message.startsWith('cluster terms file') ? 'cluster terms file' : 'policy file'} ${first.file} is invalid (${issues.length} problems):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
    this.name = 'PolicyError';
    this.file = first.file;
    if (first.ruleId !== undefined) this.ruleId = first.ruleId;
    this.path = first.path;
    this.issues = issues;
  }
}

/** A segment of a path into the policy document: a key or a list index. */
export type PathSegment = string | number;

/** Renders a path the way policy messages show it, e.g. `rules[2].who.relationship[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Builds an issue. Paths under `rules[i]` are shown relative to the rule, naming it:
 * `policy file F, rule "id" (rules[2]), key who.relationship[0]: reason`. `source` names the
 * kind of file (`policy file`, or `cluster terms file` for the terms).
 * @example policyIssue('p.yaml', ['version'], undefined, 'unsupported version 2 (expected 1)').message
 * // 'policy file p.yaml, key version: unsupported version 2 (expected 1)'
 */
export function policyIssue(
  file: string,
  path: readonly PathSegment[],
  ruleId: string | undefined,
  reason: string,
  source = 'policy file',
): PolicyIssue {
  const full = formatPath(path);
  let where = `${source} ${file}`;
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const ruleRef = `rules[${path[1]}]`;
    where += ruleId !== undefined ? `, rule "${ruleId}" (${ruleRef})` : `, rule ${ruleRef}`;
    const key = formatPath(path.slice(2));
    if (key !== '') where += `, key ${key}`;
  } else if (full !== '') {
    where += `, key ${full}`;
  }
  const issue: PolicyIssue = { file, path: full, reason, message: `${where}: ${reason}` };
  if (ruleId !== undefined) issue.ruleId = ruleId;
  return issue;
}

/** Throws one PolicyError holding every issue, if there are any. */
export function throwIfIssues(issues: readonly PolicyIssue[]): void {
  const [first, ...rest] = issues;
  if (first) throw new PolicyError([first, ...rest]);
}
