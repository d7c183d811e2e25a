import type { BrokerEvent, EventSink } from '@hybrid-broker/core';
import { safeUrl } from '@hybrid-broker/core/driver-kit';
import type { CliStream } from './cli-io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';
const REDRAW_MS = 200;

/** What the stderr event sink shows. */
export interface EventViewOptions {
  /** Draw a one-line progress indicator from poll and state-change events (a terminal only). */
  readonly progress: boolean;
  /** Print one line per cloud request (method, URL, status, duration, request id). */
  readonly requests: boolean;
  /** Applied to every line before it is written (cuts out secrets). */
  readonly clean: (text: string) => string;
  readonly now?: () => number;
}

/**
 * Shows the broker's events on stderr while a command runs: a spinner line
 * saying what is awaited and the last state seen, redrawn in place, and with
 * `--verbose` a line per HTTP request. `stop()` erases the spinner, so the
 * result or error that follows starts on a clean line.
 */
export class StderrEventView implements EventSink {
  readonly #stream: CliStream;
  readonly #options: EventViewOptions;
  readonly #now: () => number;
  #waiting: { description: string; state: string; attempt: number; since: number } | undefined;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;

  constructor(stream: CliStream, options: EventViewOptions) {
    this.#stream = stream;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  emit(event: BrokerEvent): void {
    if (event.type === 'request' && this.#options.requests) {
      const status = event.status === undefined ? (event.error ?? 'no response') : String(event.status);
      const id = event.requestId === undefined ? '' : ` ${event.requestId}`;
      // A driver should already drop the query; a careless one must still not print it here.
      this.#line(`  ${event.method} ${safeUrl(event.url)} ${status} ${Math.round(event.durationMs)} ms${id}`);
    } else if (event.type === 'poll' && this.#options.progress) {
      const previous = this.#waiting?.description === event.waitingFor ? this.#waiting : undefined;
      this.#waiting = {
        description: event.waitingFor,
        state: event.state,
        attempt: event.attempt,
        since: previous?.since ?? this.#now(),
      };
      // Derived from polls, not state-change events, so every driver's waits show their transitions.
      if (previous !== undefined && previous.state !== event.state) {
        this.#line(`  ${previous.state} -> ${event.state} (${event.waitingFor})`);
      }
      this.#startTimer();
      this.#draw();
    } else if (event.type === 'operation' && event.phase !== 'start') {
      this.#waiting = undefined;
      this.#erase();
    }
  }

  /** Erases the spinner and stops redrawing. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#waiting = undefined;
    this.#erase();
  }

  #line(text: string): void {
    this.#erase();
    this.#stream.write(`${this.#options.clean(text)}\n`);
    this.#draw();
  }

  #draw(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length] ?? '*';
    const seconds = ((this.#now() - waiting.since) / 1000).toFixed(1);
    const text = `${frame} waiting for ${waiting.description}: ${waiting.state} (poll ${waiting.attempt}, ${seconds} s)`;
    this.#stream.write(`${CLEAR_LINE}${this.#options.clean(text)}`);
    this.#drawn = true;
  }

  #erase(): void {
    if (!this.#drawn) return;
    this.#stream.write(CLEAR_LINE);
    this.#drawn = false;
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    // Redraws keep the elapsed time moving between polls; unref so it never holds the process open.
    this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
    this.#timer.unref?.();
  }
}
