import type { SimRandom } from '../random.js';
import type { ApplicationCredential, Project, User } from './identity.js';

/** An issued token. */
export interface TokenRecord {
  readonly id: string;
  readonly user: User;
  /** Scope; unscoped tokens have none and no catalog. */
  readonly project: Project | undefined;
  readonly methods: readonly string[];
  readonly applicationCredential: ApplicationCredential | undefined;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Audit ids: the first is this token's, a rescoped token keeps its parent's as the second. */
  readonly auditIds: readonly string[];
}

/** What to issue a token for. */
export type TokenGrant = Omit<TokenRecord, 'id' | 'issuedAt' | 'expiresAt' | 'auditIds'> & {
  /** Keep this expiry (token-method rescoping cannot extend a token's life). */
  readonly expiresAt?: number;
  readonly parentAuditId?: string;
};

/** Issued tokens, their expiry and revocation. */
export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #random: SimRandom;
  readonly #now: () => number;
  /** Token lifetime in milliseconds. */
  ttlMs: number;

  /** @param ttlMs lifetime of new tokens @param now clock, injectable for tests */
  constructor(random: SimRandom, ttlMs: number, now: () => number = Date.now) {
    this.#random = random;
    this.ttlMs = ttlMs;
    this.#now = now;
  }

  /** Issues a token (the id is Fernet-like in length and alphabet). */
  issue(grant: TokenGrant): TokenRecord {
    const issuedAt = this.#now();
    // Pruning is O(n); doing it now and then keeps issuing O(1) amortized.
    if (this.#tokens.size % 256 === 255) this.#prune(issuedAt);
    const { parentAuditId, ...rest } = grant;
    const record: TokenRecord = {
      ...rest,
      id: `gAAAAAB${Buffer.from(this.#random.hex(90), 'hex').toString('base64url')}`,
      issuedAt,
      expiresAt: grant.expiresAt ?? issuedAt + this.ttlMs,
      auditIds: [this.#auditId(), ...(parentAuditId ? [parentAuditId] : [])],
    };
    this.#tokens.set(record.id, record);
    return record;
  }

  /** The token if it exists, is unexpired and unrevoked. */
  valid(id: string | undefined): TokenRecord | undefined {
    if (id === undefined) return undefined;
    const record = this.#tokens.get(id);
    if (!record) return undefined;
    if (record.expiresAt <= this.#now()) return undefined;
    return record;
  }

  /** Revokes one token; false if it was not valid. */
  revoke(id: string): boolean {
    return this.#tokens.delete(id);
  }

  /** Revokes every token (e.g. to force re-authentication). */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** Number of valid tokens. */
  get size(): number {
    this.#prune(this.#now());
    return this.#tokens.size;
  }

  #auditId(): string {
    return Buffer.from(this.#random.hex(16), 'hex').toString('base64url').slice(0, 22);
  }

  #prune(now: number): void {
    for (const [id, t] of this.#tokens) if (t.expiresAt <= now) this.#tokens.delete(id);
  }
}
