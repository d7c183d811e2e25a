/** What a timed-out request is rejected with (compared by identity). */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** What a timed-out piece of work can be ended by (an exchange's control). */
interface Control {
  cancel?: ((reason: unknown) => void) | undefined;
}

interface Pending {
  readonly deadline: number;
  readonly reject: (reason: unknown) => void;
  /** Ends the timed-out work itself (destroys its socket); its transport fills `cancel` in. */
  readonly control: Control | undefined;
  prev: Pending | undefined;
  next: Pending | undefined;
}

/**
 * Per-request timeouts of one HTTP client on a single timer. A timer per
 * request (setTimeout + clearTimeout + a racing promise) cost ~3 us and kept
 * ~150 bytes per request alive into V8's old space on Node 20, which made
 * young-generation collections ten times slower under load. Every request of
 * a client has the same timeout, so deadlines arrive in insertion order: the
 * timer only ever waits for the oldest one. Pending requests form a linked
 * list, so adding and removing one allocates nothing but its entry (a Set
 * reallocated its table as requests came and went).
 */
export class RequestDeadlines {
  readonly #timeoutMs: number;
  #head: Pending | undefined;
  #tail: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * `work`'s outcome, or a rejection with `TIMED_OUT` once the timeout passes first; then
   * `control.cancel` (set by the transport) ends the work, so no socket outlives its timeout.
   */
  race<T>(work: Promise<T>, control?: Control): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        deadline: performance.now() + this.#timeoutMs,
        reject,
        control,
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail) this.#tail.next = entry;
      else this.#head = entry;
      this.#tail = entry;
      this.#arm(this.#timeoutMs);
      work.then(
        (value) => {
          this.#remove(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#remove(entry);
          reject(error);
        },
      );
    });
  }

  #remove(entry: Pending): void {
    if (entry.prev) entry.prev.next = entry.next;
    else if (this.#head === entry) this.#head = entry.next;
    else return; // already removed (timed out)
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
  }

  #arm(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#sweep(), ms);
    // The request's own socket keeps the process alive; an idle client must not.
    this.#timer.unref();
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let entry = this.#head; entry; entry = this.#head) {
      if (entry.deadline > now) {
        this.#arm(Math.max(1, entry.deadline - now));
        return;
      }
      this.#remove(entry);
      entry.reject(TIMED_OUT);
      entry.control?.cancel?.(TIMED_OUT);
    }
  }
}
