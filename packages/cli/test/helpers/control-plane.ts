// Test helper: a real control plane in this process (sqlite in a temp dir, port 0), closed after the test.
import type { TestContext } from 'node:test';
import {
  silentLogger,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from '@heddle/control-plane';
import { tempDir } from './temp-dir.ts';

export interface TestControlPlane {
  readonly plane: ControlPlane;
  /** For --control-plane. */
  readonly url: string;
}

export async function startTestControlPlane(
  t: TestContext,
  overrides: Partial<ControlPlaneOptions> = {},
): Promise<TestControlPlane> {
  const plane = await startControlPlane({
    dataDir: await tempDir(t),
    xdsAddress: '127.0.0.1:0',
    httpAddress: '127.0.0.1:0',
    debounce: { quietMs: 5, maxDelayMs: 50 },
    logger: silentLogger,
    instanceId: 'test-control-plane',
    // The CLI's tests drive scripted xDS clients that carry no join token; xDS authentication has its own tests.
    xdsAuth: 'loopback-exempt',
    ...overrides,
  });
  t.after(() => plane.close());
  return { plane, url: `http://127.0.0.1:${plane.httpPort}` };
}
