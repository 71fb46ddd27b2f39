/** The verified identity behind a request, from the user's token. */
export interface Caller {
  /** The firm the user belongs to (claim `firm`, pinned to the issuer's firm). */
  firmId: string;
  /** The user (claim `sub`). */
  subject: string;
  /** Roles within the user's firm (claim `roles`), e.g. `planner`, `quality`, `admin`. */
  roles: string[];
  /** Why the data is requested (claim `purpose`), if the token names a purpose. */
  purpose?: string;
  issuer: string;
}

/** The claims of a user token of the cluster. */
export interface UserClaims {
  iss: string;
  sub: string;
  aud: string;
  firm: string;
  roles: string[];
  purpose?: string;
  iat: number;
  exp: number;
}

/** Roles of the demo and the documentation (`integration`: the owner's own systems writing its data, docs/write-api.md); firms may use others. */
export const KNOWN_ROLES = ['planner', 'quality', 'logistics', 'analyst', 'admin', 'integration'] as const;
