import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { noticeSlowFirstIndex } from '../../../client/src/indexProgress';

/** A model whose first change the test triggers. */
function fakeModel() {
  const listeners = new Set<() => void>();
  return {
    onModel: (listener: () => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    change: () => [...listeners].forEach((l) => l()),
    listening: () => listeners.size,
  };
}

test('a first index slower than the delay shows the notification until the model arrives', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const model = fakeModel();
    const shown: Promise<void>[] = [];
    noticeSlowFirstIndex(model.onModel, (indexed) => shown.push(indexed), 2000);
    mock.timers.tick(1999);
    assert.equal(shown.length, 0);
    mock.timers.tick(1);
    assert.equal(shown.length, 1);
    let settled = false;
    void shown[0]!.then(() => (settled = true));
    await Promise.resolve();
    assert.equal(settled, false, 'the notification stays while indexing');
    model.change();
    await shown[0];
    assert.equal(model.listening(), 0);
  } finally {
    mock.timers.reset();
  }
});

test('a first index faster than the delay shows nothing', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const model = fakeModel();
    let shown = 0;
    noticeSlowFirstIndex(model.onModel, () => shown++, 2000);
    mock.timers.tick(500);
    model.change();
    mock.timers.tick(5000);
    assert.equal(shown, 0);
    assert.equal(model.listening(), 0);
  } finally {
    mock.timers.reset();
  }
});

test('disposed before the delay (the extension stopped): nothing shown, nothing left listening', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const model = fakeModel();
    let shown = 0;
    noticeSlowFirstIndex(model.onModel, () => shown++, 2000).dispose();
    mock.timers.tick(5000);
    assert.equal(shown, 0);
    assert.equal(model.listening(), 0);
  } finally {
    mock.timers.reset();
  }
});
