import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Limiter } from '../../src/util/limiter.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a limiter runs at most its slots at once, in the order given, and every task', async () => {
  const limiter = new Limiter(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 7 }, (_, index) =>
      limiter.run(async () => {
        started.push(index);
        running++;
        most = Math.max(most, running);
        await pause(5);
        running--;
        return index * 10;
      }),
    ),
  );
  assert.equal(most, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(results, [0, 10, 20, 30, 40, 50, 60]);
});

test('a task that throws gives its slot back', async () => {
  const limiter = new Limiter(1);
  await assert.rejects(limiter.run(async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limiter.run(async () => 'next'), 'next');
});

test('a limiter needs at least one slot', () => {
  assert.throws(() => new Limiter(0), /at least one slot/);
});

test('a slot acquired by hand is given back once, however often its release is called', async () => {
  const limiter = new Limiter(1);
  const release = await limiter.acquire();
  let second = false;
  const next = limiter.acquire().then((releaseNext) => {
    second = true;
    return releaseNext;
  });
  await pause(5);
  assert.equal(second, false);
  release();
  release();
  const releaseNext = await next;
  assert.equal(second, true);
  let third = false;
  void limiter.acquire().then(() => (third = true));
  await pause(5);
  assert.equal(third, false, 'a repeated release must not free a second slot');
  releaseNext();
  await pause(1);
  assert.equal(third, true);
});

test('tryAcquire takes a free slot at once, and none while every slot is held or someone waits', async () => {
  const limiter = new Limiter(2);
  const first = limiter.tryAcquire();
  const second = limiter.tryAcquire();
  assert.ok(first && second);
  assert.equal(limiter.tryAcquire(), undefined);
  let waiter = false;
  const waiting = limiter.acquire().then((release) => {
    waiter = true;
    return release;
  });
  first();
  // The freed slot went to the waiter, not to whoever asks next.
  assert.equal(limiter.tryAcquire(), undefined);
  const releaseWaiter = await waiting;
  assert.equal(waiter, true);
  releaseWaiter();
  second();
  const again = limiter.tryAcquire();
  assert.ok(again);
  again();
  again();
  assert.ok(limiter.tryAcquire() && limiter.tryAcquire());
  assert.equal(limiter.tryAcquire(), undefined);
});
