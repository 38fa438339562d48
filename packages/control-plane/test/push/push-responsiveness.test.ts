// A large push and a herd of connecting proxies leave the control plane responsive: /ready answers while a push
// is still translating, 1,000 streams that connect at once all get their config, and a change reaches only the
// proxies it can affect.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ControlPlane, TranslateFn } from '../../src/index.ts';
import { fakeTranslate } from '../support/fake-translate.ts';
import {
  apiUrl,
  applyYamlText,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';
import { StreamFleet } from './support/stream-fleet.ts';

/** Holds the CPU like a real translation of a large mesh would, without sleeping. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

function scoped(name: string, namespace: string): string {
  return serviceEntryYaml(name, namespace).replace('  location:', '  exportTo: ["."]\n  location:');
}

async function metric(cp: ControlPlane, name: string): Promise<number> {
  const text = await (await fetch(apiUrl(cp, '/metrics'))).text();
  // The sum over the family's series (`name` or `name{…}`).
  const lines = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (lines.length === 0) return Number.NaN;
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('push responsiveness', { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('answers /ready while a push is still translating proxies', async () => {
    const PROXIES = 40;
    let translations = 0;
    const slow: TranslateFn = (snapshot, node, index) => {
      busy(15);
      translations++;
      return fakeTranslate(snapshot, node, index);
    };
    const cp = await startTestControlPlane({ translate: slow });
    cleanups.push(() => cp.close());
    const fleet = new StreamFleet(cp.xdsPort, PROXIES, 4, ['shop']);
    cleanups.push(() => fleet.close());
    await fleet.until(() => fleet.proxies.every((p) => p.responses.length === 1), 30_000, 'first config');

    const before = translations;
    assert.equal((await applyYamlText(cp, serviceEntryYaml('payments', 'shop'))).status, 200);
    // Wait (on the event loop, which a blocking push would hold) until the push has started translating.
    while (translations === before) await new Promise((resolve) => setTimeout(resolve, 2));
    const response = await fetch(apiUrl(cp, '/ready'));
    const doneWhenAnswered = translations - before;
    assert.equal(response.status, 200);
    assert.ok(doneWhenAnswered < PROXIES, `/ready answered only after ${doneWhenAnswered} of ${PROXIES}`);
    await fleet.until(() => fleet.proxies.every((p) => p.responses.length === 2), 30_000, 'the push');
  });

  it('serves 1,000 streams that connect at once, and pushes a change only to the namespace it can reach', async () => {
    const cp = await startTestControlPlane();
    cleanups.push(() => cp.close());
    assert.equal(
      (await applyYamlText(cp, `${scoped('cart', 'shop')}---\n${scoped('ledger', 'bank')}`)).status,
      200,
    );
    await cp.idle();
    const fleet = new StreamFleet(cp.xdsPort, 1000, 10, ['shop', 'bank']);
    cleanups.push(() => fleet.close());
    await fleet.until(
      () => fleet.proxies.every((p) => p.responses.length === 1),
      90_000,
      '1,000 first configs',
    );
    await cp.idle();
    assert.equal(await metric(cp, 'pilot_xds'), 1000);

    const skippedBefore = await metric(cp, 'pilot_push_proxies_skipped');
    assert.equal((await applyYamlText(cp, scoped('teller', 'bank'))).status, 200);
    await cp.idle();
    const bank = fleet.proxies.filter((p) => p.namespace === 'bank');
    await fleet.until(() => bank.every((p) => p.responses.length === 2), 30_000, 'the push to bank');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(fleet.proxies.filter((p) => p.namespace === 'shop').every((p) => p.responses.length === 1));
    assert.equal((await metric(cp, 'pilot_push_proxies_skipped')) - skippedBefore, 500);
    assert.equal(await metric(cp, 'pilot_push_proxies_translated'), 500);
  });
});
