// Where the seed configurations live: the shared fixtures checked out beside this repository.
import { join } from 'node:path';

export const SEED_CONFIGS_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'fixtures',
  'seed-configs',
);
