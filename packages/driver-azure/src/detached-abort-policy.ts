import type { PipelinePolicy } from './pipeline-policies.js';

/**
 * Ends a call at once when its signal aborts, without destroying the HTTP
 * request in flight. The SDK's node client destroys an aborted request with
 * one `once('error')` listener; a socket still connecting then emits a second
 * error (`connect ECANCELED`) that nobody listens for, and the process gets an
 * uncaught exception. Here the request finishes (or fails) on its own in the
 * background, its outcome discarded, while the caller is released.
 */
export function detachedAbortPolicy(): PipelinePolicy {
  return {
    name: 'hybridBrokerDetachedAbort',
    sendRequest(request, next) {
      const signal = request.abortSignal;
      if (!signal) return next(request);
      if (signal.aborted) return Promise.reject(abortError());
      request.abortSignal = undefined;
      return new Promise((resolve, reject) => {
        const onAbort = (): void => reject(abortError());
        signal.addEventListener('abort', onAbort, { once: true });
        next(request).then(
          (response) => {
            signal.removeEventListener('abort', onAbort);
            resolve(response);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
  };
}

function abortError(): Error {
  // The SDK and core recognize aborts by this name.
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}
