import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../../client/src/restartPolicy';

test('a crashed server is restarted, and the user is told once', () => {
  const policy = new RestartPolicy(4, 180_000);
  const first = policy.closed(0);
  assert.equal(first.restart, true);
  assert.match(first.message!, /stopped unexpectedly and was restarted/);
  assert.deepEqual(policy.closed(1000), { restart: true });
  assert.deepEqual(policy.closed(2000), { restart: true });
});

test('past the limit within the window it stays stopped and says so; later crashes count anew', () => {
  const policy = new RestartPolicy(2, 60_000);
  assert.equal(policy.closed(0).restart, true);
  assert.equal(policy.closed(10).restart, true);
  const gaveUp = policy.closed(20);
  assert.equal(gaveUp.restart, false);
  assert.match(gaveUp.message!, /stopped 3 times within 1 minutes and is not restarted again/);
  // Crashes older than the window no longer count; no second "restarted" message.
  assert.deepEqual(policy.closed(120_000), { restart: true });
});
