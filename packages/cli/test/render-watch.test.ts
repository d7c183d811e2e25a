import { describe, expect, it } from 'vitest';
import { renderWatchEvent } from '../src/render-watch.js';

describe('renderWatchEvent', () => {
  it('prints a push source going up and falling back to polling, with its reason', () => {
    expect(renderWatchEvent({ type: 'source', source: 'notifications' }).text).toBe('source notifications');
    const fallback = renderWatchEvent({ type: 'source', source: 'poll', reason: 'connection closed' });
    expect(fallback.text).toBe('source poll: connection closed');
    expect(fallback.value).toEqual({ type: 'source', source: 'poll', reason: 'connection closed' });
  });
});
