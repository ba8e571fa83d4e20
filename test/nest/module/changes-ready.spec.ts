import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { HydraCache, HydraCacheModule } from '../../../lib/index.js';
import type { ChangeSink, ChangeSource } from '../../../lib/index.js';

/** A source whose readiness the test decides. */
class GatedSource implements ChangeSource {
  open!: () => void;
  readonly #ready = new Promise<void>((resolve) => (this.open = resolve));
  attach(_sink: ChangeSink): void {}
  async close(): Promise<void> {}
  ready(): Promise<void> {
    return this.#ready;
  }
}

describe('HydraCacheModule with sources of changes', () => {
  it('does not finish init before its sources of changes are ready', async () => {
    const source = new GatedSource();
    const moduleRef = await Test.createTestingModule({
      imports: [HydraCacheModule.forRoot({ changes: source })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    let initialised = false;
    const init = app.init().then(() => (initialised = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(initialised).toBe(false);
    source.open();
    await init;
    expect(initialised).toBe(true);
    expect(app.get(HydraCache)).toBeInstanceOf(HydraCache);
    await app.close();
  });
});
