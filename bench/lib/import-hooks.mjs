// Module hooks for the cold-import probe: reports every module URL the ESM loader resolves.
let port;

/** Receives the MessagePort the probe listens on. */
export function initialize(data) {
  port = data.port;
}

/** Passes resolution through and reports the URL it came to. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  port?.postMessage(resolved.url);
  return resolved;
}
