// The first index of a large repository takes a while: after a short delay without a model, a
// progress notification says so until the model arrives. No vscode import (unit-tested): the
// caller passes how to listen for the model and how to show the notification.

export interface Disposable {
  dispose(): void;
}

/** How long the first index may take before the notification appears. */
export const FIRST_INDEX_NOTICE_DELAY_MS = 2000;

/**
 * Calls `show` with a promise that settles once the first model arrives, if none arrived within
 * `delayMs`; never otherwise.
 */
export function noticeSlowFirstIndex(
  onModel: (listener: () => void) => Disposable,
  show: (indexed: Promise<void>) => void,
  delayMs = FIRST_INDEX_NOTICE_DELAY_MS,
): Disposable {
  let indexed = false;
  let resolveIndexed!: () => void;
  const whenIndexed = new Promise<void>((resolve) => (resolveIndexed = resolve));
  const listener = onModel(() => {
    indexed = true;
    listener.dispose();
    resolveIndexed();
  });
  const timer = setTimeout(() => {
    if (!indexed) show(whenIndexed);
  }, delayMs);
  return {
    dispose: () => {
      clearTimeout(timer);
      listener.dispose();
      // A notification still shown goes away with the extension.
      resolveIndexed();
    },
  };
}
