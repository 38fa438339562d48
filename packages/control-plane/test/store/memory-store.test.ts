// The memory store passes the ConfigStore contract.
import { MemoryConfigStore } from '../../src/store/memory-store.ts';
import { runStoreContract } from './store-contract.ts';

runStoreContract('memory', (now) => Promise.resolve(new MemoryConfigStore({ now })));
