/** The parts of a finished span (the SDK's ReadableSpan) a tree needs; no SDK type is named. */
export interface SpanLike {
  readonly name: string;
  spanContext(): { readonly spanId: string };
  readonly parentSpanContext?: { readonly spanId: string } | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** [seconds, nanoseconds], as the SDK keeps times. */
  readonly duration: readonly [number, number];
  readonly status: { readonly code: number };
}

/** One span and the spans whose parent it is, in the order they came. */
export interface SpanNode {
  readonly span: SpanLike;
  readonly children: SpanNode[];
}

/** Finished spans as trees: spans whose parent is not among them are roots. */
export function spanTrees(spans: readonly SpanLike[]): SpanNode[] {
  const nodes = new Map(
    spans.map((span) => [span.spanContext().spanId, { span, children: [] as SpanNode[] }]),
  );
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanContext && nodes.get(node.span.parentSpanContext.spanId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/**
 * A trace as indented text, one span a line with its duration, status code or
 * `error.type` (for a demo, a test's failure message, a terminal):
 *
 *     attachVolume  41 ms  [openstack lab]
 *       POST /servers/{id}/os-volume_attachments  6 ms  200
 */
export function formatSpanTree(spans: readonly SpanLike[]): string {
  const lines: string[] = [];
  const walk = (node: SpanNode, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${describe(node.span)}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of spanTrees(spans)) walk(root, 0);
  return lines.join('\n');
}

function describe(span: SpanLike): string {
  const ms = span.duration[0] * 1000 + span.duration[1] / 1e6;
  const a = span.attributes;
  const where =
    a['hybrid_broker.driver'] === undefined
      ? ''
      : `  [${a['hybrid_broker.driver']} ${a['hybrid_broker.platform']}]`;
  const status = a['http.response.status_code'] === undefined ? '' : `  ${a['http.response.status_code']}`;
  const error = a['error.type'] === undefined ? '' : `  error.type=${a['error.type']}`;
  const events = (span as { events?: readonly unknown[] }).events?.length;
  const counted = events ? `  (${events} events)` : '';
  return `${span.name}  ${ms.toFixed(0)} ms${where}${status}${error}${counted}`;
}
