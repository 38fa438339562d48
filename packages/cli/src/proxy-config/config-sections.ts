// The parts of a proxy's config `heddle proxy-config` shows, with the words istioctl accepts for each.

export type ConfigSection = 'cluster' | 'listener' | 'route' | 'endpoint' | 'secret' | 'bootstrap' | 'all';

export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  'cluster',
  'listener',
  'route',
  'endpoint',
  'secret',
  'bootstrap',
  'all',
];

const ALIASES: Readonly<Record<string, ConfigSection>> = {
  cluster: 'cluster',
  clusters: 'cluster',
  c: 'cluster',
  listener: 'listener',
  listeners: 'listener',
  l: 'listener',
  route: 'route',
  routes: 'route',
  r: 'route',
  endpoint: 'endpoint',
  endpoints: 'endpoint',
  ep: 'endpoint',
  secret: 'secret',
  secrets: 'secret',
  s: 'secret',
  bootstrap: 'bootstrap',
  b: 'bootstrap',
  all: 'all',
  a: 'all',
};

export function parseConfigSection(word: string): ConfigSection | undefined {
  return ALIASES[word.toLowerCase()];
}
